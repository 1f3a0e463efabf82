"""Forms of the lending app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from creditdesk.assessment.choices import RepaymentMethod
from creditdesk.core.fields import PriceAmountField
from creditdesk.core.forms import PercentField, TextField
from creditdesk.customers.choices import Grade
from creditdesk.lending.choices import DecisionOutcome, RiskLevel
from creditdesk.lending.schedule import Method


class QuoteForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), required=False)
    price_amount = PriceAmountField(label=_("Vehicle price (yuan)"), required=False)
    down_payment_amount = PriceAmountField(label=_("Down payment (yuan)"), required=False)
    principal_amount = PriceAmountField(label=_("Or the loan amount (yuan)"), required=False)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360, initial=36)
    method = forms.ChoiceField(
        label=_("Repayment method"),
        choices=[
            (Method.EQUAL_INSTALMENT, _("Equal instalment (等额本息)")),
            (Method.EQUAL_PRINCIPAL, _("Equal principal (等额本金)")),
            (Method.INTEREST_FIRST, _("Interest first (先息后本)")),
        ],
    )
    annual_rate = PercentField(
        label=_("Annual rate (%)"),
        required=False,
        help_text=_("In percent, for example 6 or 5.5; empty: priced from the product and the risk level."),
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=[("", "—"), *RiskLevel.choices], required=False)
    grade = forms.ChoiceField(label=_("Customer grade"), choices=Grade.choices, initial=Grade.B, required=False)
    start_on = forms.DateField(
        label=_("Planned disbursement date (empty = the business date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, products: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["product"]
        field.choices = [("", _("No product (arithmetic only)")), *[(p.code, p.name) for p in products]]


class PlanForm(forms.Form):
    """A service plan's figures (PLAN-1…6); empty figures are taken from the application, an empty rate from the
    pricing grid. Fields that do not apply (a price without a vehicle, an exception below high risk) are removed."""

    price_amount = PriceAmountField(label=_("Vehicle price (yuan)"))
    down_payment_amount = PriceAmountField(label=_("Down payment (yuan)"))
    principal_amount = PriceAmountField(label=_("Loan amount (yuan)"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)
    annual_rate = PercentField(
        label=_("Annual rate (%)"),
        required=False,
        help_text=_("In percent, for example 6 or 5.5; empty: the pricing grid's rate."),
    )
    guarantors = forms.MultipleChoiceField(
        label=_("Third-party guarantors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The guarantors listed on the application; each needs a consent in force."),
    )
    exception_requested = forms.BooleanField(
        label=_("Request an exception (decided by the credit committee)"),
        required=False,
        help_text=_("Needed when the plan is high risk or fails a hard rule; a regulatory cap is never waived."),
    )
    exception_reason = TextField(label=_("Reason for the exception"), required=False, widget=forms.Textarea)
    reason = TextField(
        label=_("What changed and why"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        vehicle_loan: bool,
        high_risk: bool,
        guarantors: list[tuple[str, str]],
        revising: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("price_amount", "down_payment_amount") if not vehicle_loan else ("principal_amount",):
            del self.fields[name]
        if not high_risk:
            del self.fields["exception_requested"], self.fields["exception_reason"]
        if not revising:
            del self.fields["reason"]
        field: Any = self.fields["guarantors"]
        field.choices = guarantors
        if not guarantors:
            del self.fields["guarantors"]

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments: every figure on the form (an empty rate asks for the grid's)."""
        data = self.cleaned_data
        names = ("price_amount", "down_payment_amount", "principal_amount", "term_months", "method", "annual_rate")
        values = {name: data[name] for name in names if name in self.fields}
        if "exception_requested" in self.fields:
            values["exception_requested"] = data["exception_requested"]
            values["exception_reason"] = data["exception_reason"]
        return values


class DecisionForm(forms.Form):
    """An approval decision (审批意见) with its opinion, confirmed by the decider before it is recorded (PLAN-7)."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    opinion = TextField(label=_("Opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("I confirm this decision; it cannot be changed afterwards."),
        error_messages={"required": _("Tick the box to confirm the decision.")},
    )


class CommentForm(forms.Form):
    comment = TextField(label=_("Comment"), required=False, max_length=2000)
