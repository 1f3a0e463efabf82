"""Choices of the vehicles app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class ValuationMethod(models.TextChoices):
    """How a vehicle's value was found (估值方法, GB/T 30323-2013 and DOMAIN.md §12)."""

    MARKET = "market", _("Current market price")  # 现行市价法
    DEPRECIATION_54321 = "depreciation_54321", _("54321 depreciation")  # 54321 折旧法
    APPRAISER = "appraiser", _("Appraiser")  # 评估师评估


# What the audit events of vehicles mean (the audit page and the timelines).
EVENT_LABELS = {
    "vehicle.created": _("Vehicle recorded"),
    "vehicle.updated": _("Vehicle changed"),
    "vehicle.valuation_recorded": _("Valuation recorded"),
    "vehicle.condition_report_attached": _("Condition report attached"),
}
event_labels.register(EVENT_LABELS, areas={"vehicle": _("Vehicles")})
