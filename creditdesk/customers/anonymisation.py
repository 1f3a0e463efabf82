"""Anonymisation of customers whose deletion request's retention has run out (PIPL Art. 47, SEC-7), set-based.

Every model holding a customer's personal values declares a `Scrub`: the lookup from its rows to the customer and
the replacement of each personal column. The job applies each scrub to the live table and to its change history
(django-simple-history keeps every earlier version of a row), replaces the personal values the audit log and the
access log hold about those rows, and removes the stored files. One UPDATE per table whatever the number of
customers (stored files go one storage call each); running it again changes nothing. Later apps (vehicles,
assessment) register their scrubs from `AppConfig.ready()`: customers cannot import them (one-way layering).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.core.audit import record_events
from creditdesk.core.models import AuditEvent
from creditdesk.customers.models import (
    CreditAuthorization,
    Customer,
    CustomerDocument,
    ExternalGuarantee,
    FinancialStatement,
    GradeChange,
    Lead,
    MajorEvent,
    SubjectRequest,
)

ANONYMOUS_NAME = "已匿名化客户"
SCRUBBED = "[已匿名化]"  # what stands in free text (audit comments, access purposes) about an anonymised customer
# A unique, non-blank stand-in for a blind index: the database's unique and "has an identifier" constraints hold.
INDEX_PLACEHOLDER = Concat(Value("anonymised:"), Cast(F("id"), CharField()))


@dataclass(frozen=True)
class Scrub:
    """The personal columns of one model: `values` replace them in the rows whose `to_customer` lookup is an
    anonymised customer's id, live and in the history; `files` name file fields whose stored files are removed;
    `payload_keys` are audit-payload keys that copy one of these values; `delete` removes the live rows."""

    model: type[models.Model]
    to_customer: str
    values: Mapping[str, Any]
    files: tuple[str, ...] = ()
    payload_keys: tuple[str, ...] = ()
    delete: bool = False
    tables: tuple[type[models.Model], ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        history = getattr(self.model, "history", None)
        tables = (self.model, history.model) if history is not None else (self.model,)
        object.__setattr__(self, "tables", tables)

    def rows(self, table: type[models.Model], ids: Sequence[int]) -> models.QuerySet[Any]:
        """The rows of `table` (the model or its history) about these customers; in the history every version of
        such a row, also those from before it was linked (a lead before its conversion)."""
        linked = table._default_manager.filter(**{f"{self.to_customer}__in": ids})
        return linked if table is self.model else table._default_manager.filter(id__in=linked.values("id"))


SCRUBS: list[Scrub] = []


def register_scrub(scrub: Scrub) -> Scrub:
    if all(known.model is not scrub.model for known in SCRUBS):
        SCRUBS.append(scrub)
    return scrub


class JSONReplace(models.Func):
    """`expression` (a JSON object) with the top-level `keys` that are present set to the string `value`."""

    output_field = models.JSONField()

    def __init__(self, expression: Any, *, keys: Sequence[str], value: str) -> None:
        super().__init__(expression)
        self.keys, self.value = tuple(keys), value

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        for key in self.keys:
            sql, params = f"json_replace({sql}, %s, %s)", (*params, f'$."{key}"', self.value)
        return sql, tuple(params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        for key in self.keys:
            sql = f"jsonb_set({sql}, %s::text[], to_jsonb(%s::text), false)"
            params = (*params, "{" + key.replace('"', "") + "}", self.value)
        return sql, tuple(params)


def _remove_files(scrub: Scrub, ids: Sequence[int]) -> None:
    """The stored files (one storage call each: a file system has no set-based delete)."""
    for name in scrub.files:
        storage = scrub.model._meta.get_field(name).storage  # type: ignore[union-attr]
        stored: set[str] = set()
        for table in scrub.tables:
            stored.update(scrub.rows(table, ids).exclude(**{name: ""}).values_list(name, flat=True))
        for path in sorted(stored):
            storage.delete(path)


def _logs_about(scrub: Scrub, ids: Sequence[int]) -> None:
    """The audit events and access-log entries about the scrubbed rows keep their type, actor, time and ids; the
    shown name of the row, free text and payload values copying personal data are replaced."""
    table = scrub.tables[-1]  # the history also knows the rows deleted since
    subject_ids = scrub.rows(table, ids).annotate(sid=Cast("id", CharField())).values("sid")
    content_type = ContentType.objects.get_for_model(scrub.model, for_concrete_model=True)
    shown: Any = Value(ANONYMOUS_NAME)
    if scrub.to_customer != "id":
        shown = Concat(Value(f"{scrub.model._meta.model_name} #"), F("subject_id"))
    about = {"subject_type": content_type, "subject_id__in": subject_ids}
    AuditEvent.objects.filter(**about).update(subject_repr=shown)
    AuditEvent.objects.filter(**about).exclude(comment="").update(comment=SCRUBBED)
    AccessLogEntry.objects.filter(**about).update(subject_repr=shown, purpose=SCRUBBED)
    keys = sorted({key for known in SCRUBS for key in known.payload_keys})
    if keys:
        AuditEvent.objects.filter(**about, payload__has_any_keys=keys).update(
            payload=JSONReplace(F("payload"), keys=keys, value=SCRUBBED)
        )


def anonymise(*, customers: models.QuerySet[Customer], business_on: dt.date | None = None) -> int:
    """Anonymise these customers everywhere a scrub reaches, in one transaction; returns how many changed.

    Idempotent: a customer is skipped once neither the row nor its history holds a name (the history check also
    catches customers the earlier job anonymised in the live row only). The rows are locked: two runs cannot both
    count one customer."""
    with transaction.atomic():
        named = Customer.history.exclude(name=ANONYMOUS_NAME).values("id")
        pending = customers.filter(~Q(name=ANONYMOUS_NAME) | Q(pk__in=named)).select_for_update()
        ids = list(pending.values_list("pk", flat=True))
        if not ids:
            return 0
        for scrub in SCRUBS:
            _remove_files(scrub, ids)
            _logs_about(scrub, ids)
            if scrub.delete:
                scrub.rows(scrub.model, ids).delete()
            for table in scrub.tables:
                if scrub.values and not (scrub.delete and table is scrub.model):
                    scrub.rows(table, ids).update(**scrub.values)
        record_events(
            actor=None,
            event_type="customer.anonymised",
            payloads=[{"customer": pk} for pk in ids],
            business_on=business_on,
        )
    return len(ids)


IDENTIFIERS_CLEARED = {
    "mobile": "",
    "mobile_index": "",
    "id_number": "",
    "credit_code": "",
}
register_scrub(
    Scrub(
        Customer,
        "id",
        {
            **IDENTIFIERS_CLEARED,
            "name": ANONYMOUS_NAME,
            "id_number_index": INDEX_PLACEHOLDER,
            "credit_code_index": INDEX_PLACEHOLDER,
            "address": "",
            "birth_on": None,
            "occupation": "",
            "employer": "",
            "legal_representative": "",
            "legal_representative_id_number": "",
            "credit_record_notes": "",
        },
    )
)
register_scrub(
    Scrub(
        Lead,
        "customer_id",
        {**IDENTIFIERS_CLEARED, "name": ANONYMOUS_NAME, "id_number_index": "", "credit_code_index": "", "notes": ""},
    )
)
register_scrub(
    Scrub(
        CustomerDocument,
        "customer_id",
        {"original_name": "", "file": "", "file_key": "", "sha256": ""},
        files=("file",),
        payload_keys=("name",),
        delete=True,
    )
)
register_scrub(
    Scrub(ExternalGuarantee, "customer_id", {"beneficiary": SCRUBBED, "notes": ""}, payload_keys=("beneficiary",))
)
register_scrub(Scrub(MajorEvent, "customer_id", {"description": SCRUBBED, "impact_assessment": ""}))
register_scrub(Scrub(SubjectRequest, "customer_id", {"details": ""}))
register_scrub(Scrub(GradeChange, "customer_id", {"reason": SCRUBBED}))
# No personal column of their own, but their shown name in the logs is the customer's.
register_scrub(Scrub(CreditAuthorization, "customer_id", {}))
register_scrub(Scrub(FinancialStatement, "customer_id", {}))
