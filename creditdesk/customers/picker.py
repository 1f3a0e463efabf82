"""The customer search picker (客户选择): a text box that searches the customers in the user's scope (htmx) and
keeps the chosen customer's id in a hidden field, for every form that names a customer (guarantors, co-borrowers;
issue 11 item 16). Staff see names and masked identifiers, never an internal number to type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import in_scope
from creditdesk.core.masking import mask_credit_code, mask_id_number
from creditdesk.customers import selectors
from creditdesk.customers.models import Customer

RESULTS = 10


def customer_label(customer: Customer) -> str:
    """The name and the masked identifier: 张三 · 110105********002X."""
    identifier = (
        mask_id_number(customer.id_number) if customer.is_individual else mask_credit_code(customer.credit_code)
    )
    return f"{customer.name} · {identifier}" if identifier else str(customer.name)


class CustomerPicker(forms.Widget):
    """Renders a search box (the label's target) and a hidden input named after the field holding the id.
    Give it the chosen customer's label with `label_picker()`; nothing is looked up while rendering."""

    template_name = "customers/widgets/customer_picker.html"
    label = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("customers:search")
        context["widget"]["label"] = self.label if value not in (None, "") else ""
        return context


def label_picker(form: forms.Form, name: str, user: Any) -> None:
    """Show the customer chosen in `form[name]` by name, only when that customer is in the user's scope."""
    widget = form.fields[name].widget
    raw = form[name].value()
    customer = None
    if raw not in (None, "") and str(raw).isdigit():
        customer = in_scope(Customer.objects.all(), user).filter(pk=int(raw)).first()
    if isinstance(widget, CustomerPicker):
        widget.label = customer_label(customer) if customer is not None else ""


@requires(Perm.CUSTOMER_VIEW)
def customer_search(request: HttpRequest) -> HttpResponse:
    """The picker's results: up to ten customers in scope matching a name or an exact identifier."""
    q = (request.GET.get("q") or "").strip()
    customers: list[Customer] = []
    if q:
        filters = selectors.CustomerFilters(q=q)
        customers = list(selectors.customer_list(user=request.user, filters=filters)[:RESULTS])
    rows = [(c.pk, customer_label(c)) for c in customers]
    return render(request, "customers/widgets/customer_results.html", {"rows": rows, "q": q})
