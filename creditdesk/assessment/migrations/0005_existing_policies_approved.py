"""Data migration: the policy versions that existed before maker-checker were in force, so they count as approved
(by nobody named: the change was made before the rule). Reversing leaves them as they are."""

from django.db import migrations
from django.utils import timezone

MODELS = ["AdmissionPolicyVersion", "RatingPolicyVersion"]


def approve_existing(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        apps.get_model("assessment", name).objects.filter(approval_state="proposed").update(
            approval_state="approved", proposed_at=now, checked_at=now, review_note="双人复核启用前已生效"
        )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_policy_versions_maker_checker")]
    operations = [migrations.RunPython(approve_existing, migrations.RunPython.noop)]
