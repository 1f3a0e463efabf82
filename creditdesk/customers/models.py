"""Customers (客户): individuals financing used cars and companies with credit, and their consents."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from creditdesk.core.crypto import BlindIndexField, EncryptedTextField
from creditdesk.core.model_fields import MoneyField
from creditdesk.core.models import BaseModel
from creditdesk.customers.choices import (
    AgreementStatus,
    AuthorizationScope,
    CampaignSource,
    Channel,
    CreditStatus,
    CustomerKind,
    DocumentType,
    EventType,
    Gender,
    Grade,
    Housing,
    Impact,
    LeadStatus,
    MaritalStatus,
    MarketingEventKind,
    MonitoringLevel,
    PartnerKind,
    SavingsBand,
    SizeClass,
)


class Partner(BaseModel):
    """Partner (合作机构): a used-car market, dealer or repair shop that refers customers (ACQ-1)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=PartnerKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    agreement_status = models.CharField(
        _("agreement status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.NONE
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_expires_on = models.DateField(_("agreement expires on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="partners"
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement_expires_on__isnull=True)
                | models.Q(agreement_signed_on__isnull=True)
                | models.Q(agreement_expires_on__gt=models.F("agreement_signed_on")),
                name="customers_partner_agreement_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(BaseModel):
    """Online campaign (线上推广活动): a source tag for leads from the website, social media, auto-finance sites."""

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=24, choices=CampaignSource.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.name


class MarketingEvent(BaseModel):
    """Offline event (线下活动): an auto show or promotion where leads are met (ACQ-1)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=MarketingEventKind.choices)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("offline event")
        verbose_name_plural = _("offline events")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


class Customer(BaseModel):
    """Customer (客户): an individual (个人客户) or a company (企业客户), owned by a salesperson.

    Identifiers are encrypted at rest with a blind index for exact look-up; the same ID number or credit code
    is always the same customer (ACQ-2), enforced by unique indexes on the blind index.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=CustomerKind.choices)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible salesperson"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="customers"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.OWN_SALES)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="customers"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="customers"
    )
    event = models.ForeignKey(
        MarketingEvent,
        verbose_name=_("offline event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
    )
    mobile = EncryptedTextField(_("mobile"), blank=True)
    mobile_index = BlindIndexField()
    address = EncryptedTextField(_("address"), blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, default=Grade.B)
    credit_status = models.CharField(
        _("credit status"), max_length=16, choices=CreditStatus.choices, default=CreditStatus.GENERAL
    )
    info_verified_on = models.DateField(_("information last verified on"), null=True, blank=True)
    size_class = models.CharField(_("size class"), max_length=8, choices=SizeClass.choices, blank=True)

    # Individuals (INFO-1, INFO-2)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField()
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_on = models.DateField(_("birth date"), null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    employment_years = models.PositiveSmallIntegerField(_("years with employer"), null=True, blank=True)
    monthly_income_amount = MoneyField(_("monthly income"), null=True, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=16, choices=MaritalStatus.choices, blank=True)
    housing = models.CharField(_("housing"), max_length=16, choices=Housing.choices, blank=True)
    dependants = models.PositiveSmallIntegerField(_("dependants"), null=True, blank=True)
    existing_debt_amount = MoneyField(_("existing debts"), null=True, blank=True)
    savings_band = models.CharField(_("savings"), max_length=16, choices=SavingsBand.choices, blank=True)
    purchase_purpose = models.CharField(_("purchase purpose"), max_length=200, blank=True)
    budget_amount = MoneyField(_("purchase budget"), null=True, blank=True)

    # Companies (INFO-4, INFO-6, INFO-7)
    credit_code = EncryptedTextField(_("unified social credit code"), blank=True)
    credit_code_index = BlindIndexField()
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    legal_representative_id_number = EncryptedTextField(_("legal representative's ID number"), blank=True)
    registered_capital_amount = MoneyField(_("registered capital"), null=True, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    industry_division = models.PositiveSmallIntegerField(_("industry division (GB/T 4754)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    market_share = models.CharField(_("market share"), max_length=100, blank=True)
    industry_position = models.CharField(_("industry position"), max_length=200, blank=True)
    main_products = models.TextField(_("main products and services"), blank=True)
    sales_channels = models.TextField(_("sales channels"), blank=True)
    key_suppliers = models.TextField(_("key suppliers"), blank=True)
    key_customers = models.TextField(_("key customers"), blank=True)
    external_rating = models.CharField(_("external rating"), max_length=32, blank=True)
    credit_record_notes = models.TextField(_("credit record notes"), blank=True)

    SCOPE_OWNER = "owner"
    SCOPE_ORG_UNIT = "org_unit"
    SENSITIVE_FIELDS = {
        "id_number": "id_number",
        "mobile": "mobile",
        "address": "address",
        "credit_code": "credit_code",
        "legal_representative_id_number": "id_number",
    }
    UNMASK_PERMISSION = "customer.unmask"

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"], condition=~models.Q(id_number_index=""), name="customers_unique_id_number"
            ),
            models.UniqueConstraint(
                fields=["credit_code_index"],
                condition=~models.Q(credit_code_index=""),
                name="customers_unique_credit_code",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=CustomerKind.COMPANY) | ~models.Q(id_number_index=""),
                name="customers_individual_has_id_number",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=CustomerKind.INDIVIDUAL) | ~models.Q(credit_code_index=""),
                name="customers_company_has_credit_code",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_income_amount__isnull=True) | models.Q(monthly_income_amount__gte=0),
                name="customers_income_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(registered_capital_amount__isnull=True) | models.Q(registered_capital_amount__gte=0),
                name="customers_capital_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["mobile_index"], name="customers_mobile_idx"),
            models.Index(fields=["owner", "kind"], name="customers_owner_kind_idx"),
            models.Index(fields=["org_unit", "grade"], name="customers_unit_grade_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_individual(self) -> bool:
        return self.kind == CustomerKind.INDIVIDUAL

    def age_on(self, on: dt.date) -> int | None:
        if self.birth_on is None:
            return None
        return on.year - self.birth_on.year - ((on.month, on.day) < (self.birth_on.month, self.birth_on.day))


class CreditAuthorization(BaseModel):
    """Credit-report authorization (征信查询授权书): the customer's written consent to query the bureau (INFO-2).

    《征信业管理条例》 Art. 18: no query without the subject's written consent and an agreed purpose; later
    bureau queries are refused unless an authorization is in force on the business date.
    """

    SCOPE_OWNER = "customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "customer__org_unit"

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="authorizations"
    )
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    scope = models.CharField(
        _("scope"), max_length=24, choices=AuthorizationScope.choices, default=AuthorizationScope.CREDIT_REPORT
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    document_reference = models.CharField(_("signed document"), max_length=100)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("credit-report authorization")
        verbose_name_plural = _("credit-report authorizations")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("signed_on")),
                name="customers_authorization_expires_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.signed_on}–{self.expires_on}"

    def in_force_on(self, on: dt.date) -> bool:
        return self.signed_on <= on <= self.expires_on and (self.revoked_on is None or self.revoked_on > on)


class Lead(FSMModelMixin, BaseModel):
    """Lead (线索): a prospective customer with its channel and salesperson, until converted or lost (ACQ-2).

    Converting links to the existing customer when the ID number or credit code is already known, so the same
    person or company is never registered twice.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=CustomerKind.choices, default=CustomerKind.INDIVIDUAL)
    name = models.CharField(_("name"), max_length=100)
    mobile = EncryptedTextField(_("mobile"), blank=True)
    mobile_index = BlindIndexField()
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField()
    credit_code = EncryptedTextField(_("unified social credit code"), blank=True)
    credit_code_index = BlindIndexField()
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    event = models.ForeignKey(
        MarketingEvent,
        verbose_name=_("offline event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible salesperson"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="leads"
    )
    status = FSMField(_("status"), max_length=16, choices=LeadStatus.choices, default=LeadStatus.NEW, protected=True)
    lost_reason = models.CharField(_("reason lost"), max_length=200, blank=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    notes = models.TextField(_("notes"), blank=True)

    SCOPE_OWNER = "owner"
    SCOPE_ORG_UNIT = "org_unit"
    SENSITIVE_FIELDS = {"mobile": "mobile", "id_number": "id_number", "credit_code": "credit_code"}
    UNMASK_PERMISSION = "customer.unmask"

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "channel"], name="customers_lead_status_idx"),
            models.Index(fields=["owner", "status"], name="customers_lead_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=LeadStatus.CONVERTED) | models.Q(customer__isnull=False),
                name="customers_converted_lead_has_customer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=LeadStatus.LOST) | ~models.Q(lost_reason=""),
                name="customers_lost_lead_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Allowed moves; called only from customers.services, which checks who and records why.
    @transition(field=status, source=LeadStatus.NEW, target=LeadStatus.CONTACTED)
    def contact(self) -> None:
        pass

    @transition(field=status, source=[LeadStatus.NEW, LeadStatus.CONTACTED], target=LeadStatus.QUALIFIED)
    def qualify(self) -> None:
        pass

    @transition(
        field=status, source=[LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED], target=LeadStatus.CONVERTED
    )
    def convert(self) -> None:
        pass

    @transition(
        field=status, source=[LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED], target=LeadStatus.LOST
    )
    def lose(self) -> None:
        pass


# Six or more digits (an ID card may end in X): ID, mobile and account numbers in a file name.
IDENTIFIER_RUN = re.compile(r"\d{6,}[\dXx]*")


def _document_path(instance: CustomerDocument, filename: str) -> str:
    # Random names under MEDIA_ROOT (outside the web root; MEDIA_URL is not served): the original name stays in the row.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"customers/{instance.customer_id}/{uuid.uuid4().hex}.{suffix}"


class CustomerDocument(BaseModel):
    """Customer document (客户资料): a typed upload — ID card, income proof, audit report, … — served only after a
    permission and scope check (INFO-2, INFO-5)."""

    SCOPE_OWNER = "customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "customer__org_unit"

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="documents"
    )
    doc_type = models.CharField(_("document type"), max_length=24, choices=DocumentType.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    # The file's own AES-GCM key (envelope encryption, core/filecrypt.py), itself under the field key ring so
    # rotate-keys re-wraps it; blank only for a file stored in clear before encryption (none after migrations).
    file_key = EncryptedTextField(_("file key"), blank=True, editable=False)
    period = models.CharField(_("period"), max_length=16, blank=True, help_text=_("For audit reports and tax records."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("customer document")
        verbose_name_plural = _("customer documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.shown_name}"

    @property
    def shown_name(self) -> str:
        """The original file name with identifier-like digit runs masked: a name such as `110105…1234.jpg` must
        not reveal an ID number without a purpose and a log row (issue #10 items 2 and 8)."""
        return IDENTIFIER_RUN.sub(lambda m: "*" * len(m.group()), self.original_name)


class FinancialStatement(BaseModel):
    """Financial statement (财务报表) of a company for one period: the figures the standard ratios need (INFO-5)."""

    SCOPE_OWNER = "customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "customer__org_unit"

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="statements"
    )
    period = models.CharField(_("period"), max_length=16, help_text=_("e.g. 2026, 2026-06 or 2026Q2"))
    period_end_on = models.DateField(_("period end"))
    audited = models.BooleanField(_("audited"), default=False)
    current_assets_amount = MoneyField(_("current assets"))
    inventories_amount = MoneyField(_("inventories"), default=0)
    total_assets_amount = MoneyField(_("total assets"))
    current_liabilities_amount = MoneyField(_("current liabilities"))
    total_liabilities_amount = MoneyField(_("total liabilities"))
    equity_amount = MoneyField(_("owners' equity"))
    revenue_amount = MoneyField(_("operating revenue"))
    net_profit_amount = MoneyField(_("net profit"))
    operating_cash_flow_amount = MoneyField(_("operating cash flow"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("financial statement")
        verbose_name_plural = _("financial statements")
        ordering = ["-period_end_on"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period"], name="customers_statement_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(total_assets_amount__gte=0)
                & models.Q(current_assets_amount__gte=0)
                & models.Q(inventories_amount__gte=0)
                & models.Q(current_liabilities_amount__gte=0)
                & models.Q(total_liabilities_amount__gte=0)
                & models.Q(revenue_amount__gte=0),
                name="customers_statement_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.period}"


class ExternalGuarantee(BaseModel):
    """External guarantee (对外担保) given by a company: a contingent liability in its credit information (INFO-7)."""

    SCOPE_OWNER = "customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "customer__org_unit"

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="guarantees"
    )
    beneficiary = models.CharField(_("guaranteed party"), max_length=200)
    amount = MoneyField(_("amount"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("external guarantee")
        verbose_name_plural = _("external guarantees")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="customers_guarantee_positive")]

    def __str__(self) -> str:
        return f"{self.beneficiary} {self.amount}"


class MajorEvent(BaseModel):
    """Major event (重大事项): a change in the customer or its environment, recorded with its impact (INFO-8)."""

    SCOPE_OWNER = "customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "customer__org_unit"

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="major_events"
    )
    event_type = models.CharField(_("event type"), max_length=32, choices=EventType.choices)
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("description"))
    impact = models.CharField(_("impact"), max_length=16, choices=Impact.choices, default=Impact.NEUTRAL)
    impact_assessment = models.TextField(_("impact assessment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("major event")
        verbose_name_plural = _("major events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.occurred_on}"


class GradePolicy(BaseModel):
    """Grade policy (客户等级政策): what a grade A–D means in practice, by effective date (CLASS-4)."""

    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    effective_on = models.DateField(_("effective on"))
    limit_factor = models.DecimalField(_("credit-limit factor"), max_digits=5, decimal_places=2)
    rate_adjustment = models.DecimalField(
        _("rate adjustment"),
        max_digits=9,
        decimal_places=6,
        help_text=_("Added to the priced annual rate, e.g. -0.005000."),
    )
    visits_per_quarter = models.PositiveSmallIntegerField(_("follow-up visits per quarter"))
    monitoring_level = models.CharField(_("monitoring level"), max_length=16, choices=MonitoringLevel.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grade policy")
        verbose_name_plural = _("grade policies")
        ordering = ["grade", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "effective_on"], name="customers_grade_policy_per_date"),
            models.CheckConstraint(condition=models.Q(limit_factor__gte=0), name="customers_grade_limit_factor"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} {self.effective_on}"


class GradeChange(models.Model):
    """Grade history (等级变动记录): every grade change with its reason and actor (CLASS-4); append-only."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="grade_changes"
    )
    changed_on = models.DateField(_("business date"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    from_grade = models.CharField(_("from grade"), max_length=1, choices=Grade.choices, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=1, choices=Grade.choices)
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["customer", "-changed_at"], name="customers_grade_history_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.from_grade}→{self.to_grade}"


# The data-subject request register lives in its own file; importing it here registers the model.
from creditdesk.customers.subject_request_models import SubjectRequest  # noqa: E402, F401
