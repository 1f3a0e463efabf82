"""Choices of the customers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class CustomerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMPANY = "company", _("Company")


class Channel(models.TextChoices):
    """Acquisition channel (获客渠道), ACQ-1."""

    OWN_SALES = "own_sales", _("Own sales network")
    PARTNER = "partner", _("Partner referral")
    ONLINE = "online", _("Online campaign")
    OFFLINE = "offline", _("Offline event")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Housing(models.TextChoices):
    OWNED = "owned", _("Owned")
    MORTGAGED = "mortgaged", _("Owned with mortgage")
    RENTED = "rented", _("Rented")
    FAMILY = "family", _("With family")
    COMPANY = "company", _("Employer-provided")


class SavingsBand(models.TextChoices):
    NONE = "none", _("None")
    UNDER_50K = "lt50k", _("Under 50,000")
    FROM_50K = "50k_200k", _("50,000 – 200,000")
    FROM_200K = "200k_1m", _("200,000 – 1,000,000")
    OVER_1M = "gt1m", _("Over 1,000,000")


class Grade(models.TextChoices):
    """Customer grade (客户等级), CLASS-4."""

    A = "A", _("A – priority")
    B = "B", _("B – standard")
    C = "C", _("C – restricted")
    D = "D", _("D – exit")


class CreditStatus(models.TextChoices):
    """Credit-status class (信用状况分类), CLASS-3."""

    QUALITY = "quality", _("Quality")
    GENERAL = "general", _("General")
    WATCH = "watch", _("Watch")
    NON_PERFORMING = "non_performing", _("Non-performing")


class AuthorizationScope(models.TextChoices):
    """What a credit-report authorization (征信查询授权书) allows."""

    CREDIT_REPORT = "credit_report", _("Query the credit report")
    CREDIT_REPORT_AND_REPORTING = "report_and_reporting", _("Query the credit report and report credit data")


class PartnerKind(models.TextChoices):
    """Partner (合作机构) types, ACQ-1."""

    USED_CAR_MARKET = "used_car_market", _("Used-car market")
    DEALER = "dealer", _("Car dealer")
    REPAIR_SHOP = "repair_shop", _("Repair shop")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    NONE = "none", _("No agreement")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class CampaignSource(models.TextChoices):
    OFFICIAL_SITE = "official_site", _("Official website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    AUTO_FINANCE_SITE = "auto_finance_site", _("Auto-finance website")
    OTHER = "other", _("Other online")


class MarketingEventKind(models.TextChoices):
    AUTO_SHOW = "auto_show", _("Auto show")
    PROMOTION = "promotion", _("Promotion")
    OTHER = "other", _("Other event")


class LeadStatus(models.TextChoices):
    """Lead (线索) states: new → contacted → qualified → converted, or lost with a reason."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUALIFIED = "qualified", _("Qualified")
    CONVERTED = "converted", _("Converted")
    LOST = "lost", _("Lost")


class DocumentType(models.TextChoices):
    """Typed customer documents (客户资料), INFO-2, INFO-4, INFO-5."""

    ID_CARD = "id_card", _("ID card")
    INCOME_PROOF = "income_proof", _("Income proof")
    BANK_STATEMENT = "bank_statement", _("Bank statement")
    CREDIT_AUTHORIZATION = "credit_authorization", _("Signed credit-report authorization")
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    ARTICLES = "articles", _("Articles of association")
    AUDIT_REPORT = "audit_report", _("Audit report")
    TAX_RECORD = "tax_record", _("Tax record")
    OTHER = "other", _("Other")


class EventType(models.TextChoices):
    """Major events (重大事项), INFO-8."""

    LEGAL_REPRESENTATIVE_CHANGE = "legal_representative_change", _("Legal-representative change")
    BUSINESS_SCOPE_CHANGE = "business_scope_change", _("Business-scope change")
    MAJOR_INVESTMENT = "major_investment", _("Major investment")
    LITIGATION = "litigation", _("Litigation")
    INDUSTRY_POLICY_CHANGE = "industry_policy_change", _("Industry-policy change")
    COMPETITION_CHANGE = "competition_change", _("Competition change")
    EMPLOYMENT_CHANGE = "employment_change", _("Employment or income change")
    OTHER = "other", _("Other")


class Impact(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    SEVERE = "severe", _("Severe")


class SizeClass(models.TextChoices):
    """Enterprise size (企业规模), CLASS-2; computed by customers.sizing."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class MonitoringLevel(models.TextChoices):
    NORMAL = "normal", _("Normal")
    CLOSE = "close", _("Close")
    INTENSIVE = "intensive", _("Intensive")


class SubjectRequestKind(models.TextChoices):
    """What a customer asks of their personal information (PIPL Art. 44–47)."""

    ACCESS = "access", _("See or copy my information")
    CORRECTION = "correction", _("Correct my information")
    DELETION = "deletion", _("Delete my information")
    WITHDRAW_CONSENT = "withdraw_consent", _("Withdraw consent")


class SubjectRequestChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By e-mail")


class SubjectRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Identity verified")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


# What the audit events of customers, leads, partners and marketing mean (the audit page and the timelines).
EVENT_LABELS = {
    "customer.created": _("Customer recorded"),
    "customer.updated": _("Customer information changed"),
    "customer.anonymised": _("Customer anonymised"),
    "customer.access_requested": _("Access to the customer requested"),
    "customer.authorization_recorded": _("Credit-report authorization recorded"),
    "customer.authorization_revoked": _("Credit-report authorization revoked"),
    "customer.statement_recorded": _("Financial statement recorded"),
    "customer.guarantee_recorded": _("Guarantee recorded"),
    "customer.major_event": _("Major event recorded"),
    "customer.document_uploaded": _("Document uploaded"),
    "customer.credit_status_changed": _("Credit status changed"),
    "customer.grade_changed": _("Customer grade changed"),
    "customers.regraded": _("Customers regraded"),
    "lead.created": _("Lead recorded"),
    "lead.status_changed": _("Lead status changed"),
    "lead.converted": _("Lead converted to a customer"),
    "partner.saved": _("Partner saved"),
    "campaign.saved": _("Campaign saved"),
    "marketing_event.saved": _("Marketing event saved"),
    "subject_request.received": _("Personal-information request received"),
    "subject_request.verified": _("Requester's identity verified"),
    "subject_request.completed": _("Personal-information request completed"),
    "subject_request.refused": _("Personal-information request refused"),
}
EVENT_AREAS = {
    "customer": _("Customers"),
    "customers": _("Customers"),
    "lead": _("Leads"),
    "partner": _("Partners"),
    "campaign": _("Marketing"),
    "marketing_event": _("Marketing"),
    "subject_request": _("Personal-information requests"),
}
event_labels.register(EVENT_LABELS, areas=EVENT_AREAS)
