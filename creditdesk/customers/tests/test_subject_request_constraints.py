"""The database holds the data-subject request's state machine (issue 10 item 11, PIPL Art. 44–50, SEC-7): a row
written around the services still cannot be refused without a reason, closed without an outcome, and so on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from creditdesk.customers.models import SubjectRequest
from creditdesk.vehicles.tests.factories import make_customer

pytestmark = pytest.mark.django_db
DAY = dt.date(2027, 3, 15)


@pytest.fixture
def values(persona, business_on) -> dict[str, Any]:
    return {
        "customer": make_customer(persona("alice")),
        "kind": "access",
        "channel": "counter",
        "received_on": DAY,
        "due_on": DAY + dt.timedelta(days=15),
        "received_by": persona("alice"),
    }


def handled(persona, **extra: Any) -> dict[str, Any]:
    return {"identity_checked_by": persona("ivan"), "identity_evidence": "核对身份证原件", **extra}


def closed(persona, **extra: Any) -> dict[str, Any]:
    return handled(persona, **{"handled_by": persona("ivan"), "closed_on": DAY, **extra})


def test_consistent_rows_are_accepted(persona, values):
    SubjectRequest.objects.create(**values)
    SubjectRequest.objects.create(**values, status="verified", **handled(persona))
    SubjectRequest.objects.create(**values, status="completed", outcome="已提供副本", **closed(persona))
    SubjectRequest.objects.create(
        **values, status="refused", refusal_reason="无法核实身份", handled_by=persona("ivan"), closed_on=DAY
    )
    deletion = {**values, "kind": "deletion"}
    SubjectRequest.objects.create(
        **deletion, status="completed", outcome="保存至期满", anonymise_on=DAY.replace(year=2037), **closed(persona)
    )
    assert SubjectRequest.objects.count() == 5


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("due before received", lambda p: {"due_on": DAY - dt.timedelta(days=1)}),
        ("unknown status", lambda p: {"status": "lost"}),
        ("unknown kind", lambda p: {"kind": "erase"}),
        ("unknown channel", lambda p: {"channel": "fax"}),
        ("open but closed", lambda p: {"closed_on": DAY}),
        ("open but reasoned", lambda p: {"refusal_reason": "无"}),
        ("verified without check", lambda p: {"status": "verified"}),
        ("verified without evidence", lambda p: {"status": "verified", "identity_checked_by": p("ivan")}),
        ("refused without reason", lambda p: {"status": "refused", "handled_by": p("ivan"), "closed_on": DAY}),
        ("refused blank reason", lambda p: {"status": "refused", "refusal_reason": "", **closed(p)}),
        ("refused not closed", lambda p: {"status": "refused", "refusal_reason": "无法核实", "handled_by": p("ivan")}),
        (
            "refused with outcome",
            lambda p: {"status": "refused", "refusal_reason": "无法核实", "outcome": "x", **closed(p)},
        ),
        ("completed without outcome", lambda p: {"status": "completed", **closed(p)}),
        ("completed unhandled", lambda p: {"status": "completed", "outcome": "已提供", **handled(p, closed_on=DAY)}),
        (
            "completed unverified",
            lambda p: {"status": "completed", "outcome": "已提供", "handled_by": p("ivan"), "closed_on": DAY},
        ),
        (
            "completed not closed",
            lambda p: {"status": "completed", "outcome": "已提供", **handled(p, handled_by=p("ivan"))},
        ),
        (
            "closed before received",
            lambda p: {"status": "completed", "outcome": "已提供", **closed(p, closed_on=DAY - dt.timedelta(days=1))},
        ),
        (
            "anonymise an access request",
            lambda p: {"status": "completed", "outcome": "已提供", "anonymise_on": DAY, **closed(p)},
        ),
        (
            "deletion done, no date",
            lambda p: {"kind": "deletion", "status": "completed", "outcome": "删除", **closed(p)},
        ),
        (
            "anonymise before closed",
            lambda p: {
                "kind": "deletion",
                "status": "completed",
                "outcome": "删除",
                "anonymise_on": DAY - dt.timedelta(days=1),
                **closed(p),
            },
        ),
    ],
)
def test_inconsistent_rows_are_refused_by_the_database(persona, values, case, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectRequest.objects.create(**{**values, **change(persona)})
