"""Choices of the lending app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    """Risk rating (风险评级), ASSESS-1."""

    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


class LprTenor(models.TextChoices):
    """Loan prime rate tenors (贷款市场报价利率期限), DOMAIN.md §5."""

    ONE_YEAR = "1y", _("1-year LPR")
    FIVE_YEAR = "5y", _("5-year-and-over LPR")
