"""Pages of co-borrowers (共同借款人) on an application: search a customer in scope by name or ID number, add them
with their relationship, remove them, while the application is a draft (issue 11 item 9). Thin: the service
decides; a refusal is shown on the application's page next to the co-borrowers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm
from creditdesk.assessment import co_borrowers, selectors
from creditdesk.assessment.models import LoanApplication
from creditdesk.core.errors import DomainError, ValidationFailed
from creditdesk.customers.choices import CustomerKind
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import CustomerFilters, customer_list

CANDIDATES = 10


def candidates(*, user: Any, application: LoanApplication, q: str) -> list[Customer]:
    """Individuals in the user's scope matching `q` (a name part or an exact ID number), not already on it."""
    if not q.strip():
        return []
    listed = {application.customer_id, *application.co_borrowers.values_list("co_borrower_id", flat=True)}
    found = customer_list(user=user, filters=CustomerFilters(q=q.strip(), kind=CustomerKind.INDIVIDUAL))
    return list(found.exclude(pk__in=listed)[:CANDIDATES])


def _refused(request: HttpRequest, application: LoanApplication, err: DomainError) -> HttpResponse:
    from creditdesk.assessment.views import _detail

    return _detail(request, application, error=err)


@requires(Perm.APPLICATION_EDIT)
def co_borrower_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("assessment:detail", pk=pk)
    customer = None
    raw = request.POST.get("customer_id", "")
    if raw.isdigit():
        customer = customer_list(user=request.user).filter(pk=int(raw)).first()
    try:
        if customer is None:
            raise ValidationFailed.on("customer_id", _("Choose a customer from the search results."))
        co_borrowers.co_borrower_add(
            actor=request.user,
            application=application,
            customer=customer,
            relationship=request.POST.get("relationship", ""),
        )
    except DomainError as err:
        return _refused(request, application, err)
    messages.success(request, _("The co-borrower is added."))
    return redirect("assessment:detail", pk=pk)


@requires(Perm.APPLICATION_EDIT)
def co_borrower_remove(request: HttpRequest, pk: int, customer_id: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("assessment:detail", pk=pk)
    try:
        co_borrowers.co_borrower_remove(actor=request.user, application=application, customer_id=customer_id)
    except DomainError as err:
        return _refused(request, application, err)
    messages.success(request, _("The co-borrower is removed."))
    return redirect("assessment:detail", pk=pk)
