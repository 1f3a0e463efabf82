"""The demo seeds applications at every stage through the real services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from creditdesk.assessment.models import Assessment, LoanApplication


@pytest.mark.django_db
def test_the_demo_seeds_applications_at_every_stage(settings, business_on, tmp_path) -> None:
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("demo", stdout=out)
    statuses = set(LoanApplication.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "in_review", "returned", "scored", "rated"}
    assert Assessment.objects.filter(decision="overridden").exists()
    assert "Demo applications:" in out.getvalue()
