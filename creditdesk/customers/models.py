"""Customers (客户): individuals financing used cars and companies with credit, and their consents."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from creditdesk.core.crypto import BlindIndexField, EncryptedTextField
from creditdesk.core.models import BaseModel
from creditdesk.core.money import MoneyField
from creditdesk.customers.choices import (
    AgreementStatus,
    AuthorizationScope,
    CampaignSource,
    Channel,
    CreditStatus,
    CustomerKind,
    Gender,
    Grade,
    Housing,
    LeadStatus,
    MaritalStatus,
    MarketingEventKind,
    PartnerKind,
    SavingsBand,
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
