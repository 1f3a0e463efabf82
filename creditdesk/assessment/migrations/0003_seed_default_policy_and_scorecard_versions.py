"""Seed the default versions by name and date: admission policy, rating policy and application scorecard (A 卡).

Until now an installation without rows ran on unnamed built-in defaults ("built-in" on the decision page). The
rows carry the same defaults (the models' field defaults) and the expert scorecard of `expert_defaults`
(frozen). A kind that has rows already is left alone. Reversible: the seeded rows are removed by name.
"""

import datetime as dt

from django.db import migrations

from creditdesk.assessment import expert_defaults

ADMISSION = "二手车零售准入 V1"
RATING = "风险评级 V1"
EFFECTIVE_ON = dt.date.fromisoformat(expert_defaults.EFFECTIVE_ON)


def seed(apps, schema_editor):
    admission = apps.get_model("assessment", "AdmissionPolicyVersion")
    rating = apps.get_model("assessment", "RatingPolicyVersion")
    scorecard = apps.get_model("assessment", "ScorecardVersion")
    if not admission.objects.exists():
        admission.objects.create(version=ADMISSION, effective_on=EFFECTIVE_ON)
    if not rating.objects.exists():
        rating.objects.create(version=RATING, effective_on=EFFECTIVE_ON)
    if not scorecard.objects.exists():
        scorecard.objects.create(
            name=expert_defaults.NAME,
            effective_on=EFFECTIVE_ON,
            base_points=expert_defaults.BASE_POINTS,
            characteristics=expert_defaults.CHARACTERISTICS,
            notes="默认专家评分卡，分档与分值的依据见 docs/scorecard.md。",
        )


def unseed(apps, schema_editor):
    apps.get_model("assessment", "AdmissionPolicyVersion").objects.filter(version=ADMISSION).delete()
    apps.get_model("assessment", "RatingPolicyVersion").objects.filter(version=RATING).delete()
    apps.get_model("assessment", "ScorecardVersion").objects.filter(name=expert_defaults.NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_application_scorecard_versions")]

    operations = [migrations.RunPython(seed, unseed)]
