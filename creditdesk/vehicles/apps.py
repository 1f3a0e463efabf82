from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "creditdesk.vehicles"
    label = "vehicles"
    verbose_name = _("Vehicles")

    def ready(self) -> None:
        from creditdesk.customers.anonymisation import Scrub, register_scrub
        from creditdesk.vehicles.models import Vehicle

        # A customer's anonymisation clears the identifiers that lead to the car's registered owner, and the report.
        vehicle_ids = dict.fromkeys(
            ("vin", "engine_number", "plate_number", "condition_report", "condition_report_key"), ""
        )
        register_scrub(Scrub(Vehicle, "customer_id", vehicle_ids, files=("condition_report",), payload_keys=("vin",)))
