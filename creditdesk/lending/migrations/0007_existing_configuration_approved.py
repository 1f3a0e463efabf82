"""Data migration: the products, LPR rows, pricing grid, term adjustments and approval chains that existed before
maker-checker (the seeded defaults among them) were in force, so they count as approved. Reversing leaves them."""

from django.db import migrations
from django.utils import timezone

MODELS = ["Product", "LprRate", "SpreadRule", "TermAdjustment", "ApprovalChainVersion"]


def approve_existing(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        apps.get_model("lending", name).objects.filter(approval_state="proposed").update(
            approval_state="approved", proposed_at=now, checked_at=now, review_note="双人复核启用前已生效"
        )


class Migration(migrations.Migration):
    dependencies = [("lending", "0006_configuration_maker_checker")]
    operations = [migrations.RunPython(approve_existing, migrations.RunPython.noop)]
