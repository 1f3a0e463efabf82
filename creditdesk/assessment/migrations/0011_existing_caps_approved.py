"""Data migration: the regulatory caps seeded before maker-checker applied to them cite the law in force, so they
count as approved (by nobody named: the rows were made before the rule). Reversing leaves them as they are."""

from django.db import migrations
from django.utils import timezone


def approve_existing(apps, schema_editor):
    now = timezone.now()
    apps.get_model("assessment", "RegulatoryCap").objects.filter(approval_state="proposed").update(
        approval_state="approved", proposed_at=now, checked_at=now, review_note="双人复核启用前已生效"
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0010_regulatory_cap_maker_checker")]
    operations = [migrations.RunPython(approve_existing, migrations.RunPython.noop)]
