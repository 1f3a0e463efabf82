"""Pages of the lending app: the quote calculator."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors
from creditdesk.lending.forms import QuoteForm
from creditdesk.lending.models import fee_lines
from creditdesk.lending.quotes import quote
from creditdesk.lending.selectors import products_in_force


@requires(Perm.QUOTE_CREATE)
def quote_calculator(request: HttpRequest) -> HttpResponse:
    """PLAN-5/PLAN-8: a live schedule (htmx) with the APR shown first and a principal-vs-interest chart."""
    today = business_date()
    form = QuoteForm(request.POST or None, products=products_in_force(on=today))
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            result = quote(business_on=today, **values)
        except DomainError as err:
            form_errors(form, err)
            status = 422
    elif request.method == "POST":
        status = 422
    htmx = bool(getattr(request, "htmx", False))
    template = "lending/_quote_result.html" if htmx else "lending/quote.html"
    chart = None
    if result is not None:
        chart = {
            "periods": [line.period for line in result.schedule.instalments],
            "principal": [str(line.principal_amount) for line in result.schedule.instalments],
            "interest": [str(line.interest_amount) for line in result.schedule.instalments],
        }
    fees = fee_lines(fee.as_dict() for fee in result.fees) if result is not None else []
    # An htmx answer also replaces the form's fields (out of band): each error beside its field, none left over.
    context = {"form": form, "result": result, "chart": chart, "fee_lines": fees, "oob_fields": htmx}
    return render(request, template, context, status=status)
