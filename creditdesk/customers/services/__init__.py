"""Writes of the customers app, one module per topic: customers (identifiers, authorizations, access requests),
acquisition (partners, leads, campaigns), records (statements, guarantees, major events, documents) and grading.
Callers import from here."""

from creditdesk.customers.services.acquisition import (
    campaign_save,
    lead_advance,
    lead_convert,
    lead_create,
    marketing_event_save,
    partner_save,
)
from creditdesk.customers.services.customers import (
    AMOUNT_FIELDS,
    COMMON_FIELDS,
    COMPANY_FIELDS,
    INDIVIDUAL_FIELDS,
    authorization_record,
    authorization_revoke,
    customer_access_request,
    customer_create,
    customer_update,
    size_class_refresh,
)
from creditdesk.customers.services.grading import SEVERE_LOOKBACK_DAYS, grade_set, grades_recompute
from creditdesk.customers.services.records import (
    CONTENT_TYPES,
    MAX_UPLOAD_BYTES,
    NEVER_NEGATIVE,
    SIGNATURES,
    STATEMENT_AMOUNTS,
    document_upload,
    guarantee_record,
    major_event_record,
    statement_record,
)

__all__ = [
    "AMOUNT_FIELDS",
    "COMMON_FIELDS",
    "COMPANY_FIELDS",
    "CONTENT_TYPES",
    "INDIVIDUAL_FIELDS",
    "MAX_UPLOAD_BYTES",
    "NEVER_NEGATIVE",
    "SEVERE_LOOKBACK_DAYS",
    "SIGNATURES",
    "STATEMENT_AMOUNTS",
    "authorization_record",
    "authorization_revoke",
    "campaign_save",
    "customer_access_request",
    "customer_create",
    "customer_update",
    "document_upload",
    "grade_set",
    "grades_recompute",
    "guarantee_record",
    "lead_advance",
    "lead_convert",
    "lead_create",
    "major_event_record",
    "marketing_event_save",
    "partner_save",
    "size_class_refresh",
    "statement_record",
]
