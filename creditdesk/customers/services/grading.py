"""Writes of customer grading (CLASS-3, CLASS-4): a grade set by hand, and the nightly recomputation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import ValidationFailed
from creditdesk.customers.choices import (
    CreditStatus,
    Grade,
    Impact,
)
from creditdesk.customers.models import (
    Customer,
    GradeChange,
    MajorEvent,
)


@transaction.atomic
def grade_set(*, actor: Any, customer: Customer, grade: str, reason: str, credit_status: str | None = None) -> Customer:
    """Change a customer's grade (and credit-status class) by hand, with the reason; the history keeps every change
    (CLASS-3, CLASS-4)."""
    require_perm(actor, Perm.CUSTOMER_GRADE, _("Your role may not change grades."), on=customer)
    if grade not in Grade.values:
        raise ValidationFailed.on("grade", _("Choose A, B, C or D."))
    if credit_status and credit_status not in CreditStatus.values:
        raise ValidationFailed.on("credit_status", _("Choose the credit-status class."))
    if not reason.strip():
        raise ValidationFailed.on("reason", _("Give the reason for the change."))
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if credit_status and credit_status != customer.credit_status:
        previous_status, customer.credit_status = customer.credit_status, credit_status
        customer.save(update_fields=["credit_status", "updated_at"])
        record_event(
            actor=actor,
            subject=customer,
            event_type="customer.credit_status_changed",
            payload={"from": previous_status, "to": credit_status},
            comment=reason,
        )
        if customer.grade == grade:
            return customer
    if customer.grade == grade:
        raise ValidationFailed.on("grade", _("The customer has this grade already."))
    GradeChange.objects.create(
        customer=customer,
        changed_on=business_date(),
        from_grade=customer.grade,
        to_grade=grade,
        reason=reason.strip(),
        actor=actor,
    )
    previous, customer.grade = customer.grade, grade
    customer.save(update_fields=["grade", "updated_at"])
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.grade_changed",
        payload={"from": previous, "to": grade},
        comment=reason,
    )
    return customer


SEVERE_LOOKBACK_DAYS = 365


@transaction.atomic
def grades_recompute(*, on: dt.date | None = None) -> int:
    """Regrade the whole book set-based (CLASS-3/4): the grade follows the credit-status class, and a severe major
    event in the last year caps it at C. Returns how many grades changed; each change is kept in the history.
    """
    on = on or business_date()
    severe = MajorEvent.objects.filter(
        customer=OuterRef("pk"), impact=Impact.SEVERE, occurred_on__gt=on - dt.timedelta(days=SEVERE_LOOKBACK_DAYS)
    )
    by_status = Case(
        When(credit_status=CreditStatus.QUALITY, then=Value(Grade.A)),
        When(credit_status=CreditStatus.WATCH, then=Value(Grade.C)),
        When(credit_status=CreditStatus.NON_PERFORMING, then=Value(Grade.D)),
        default=Value(Grade.B),
    )
    target = Case(
        When(Q(has_severe=True) & Q(status_grade__in=[Grade.A, Grade.B]), then=Value(Grade.C)),
        default=F("status_grade"),
        output_field=CharField(),
    )
    changing = (
        Customer.objects.annotate(status_grade=by_status, has_severe=Exists(severe))
        .annotate(target=target)
        .exclude(grade=F("target"))
    )
    rows = list(changing.values_list("pk", "grade", "target"))
    if not rows:
        return 0
    GradeChange.objects.bulk_create(
        [
            GradeChange(
                customer_id=pk,
                changed_on=on,
                from_grade=old,
                to_grade=new,
                reason="regrade: credit status and major events",
            )
            for pk, old, new in rows
        ],
        batch_size=2000,
    )
    ids_by_grade: dict[str, list[int]] = {}
    for pk, _old, new in rows:
        ids_by_grade.setdefault(new, []).append(pk)
    for grade, ids in ids_by_grade.items():
        for start in range(0, len(ids), 2000):
            Customer.objects.filter(pk__in=ids[start : start + 2000]).update(grade=grade)
    record_event(
        actor=None, subject=None, event_type="customers.regraded", payload={"changed": len(rows)}, business_on=on
    )
    return len(rows)
