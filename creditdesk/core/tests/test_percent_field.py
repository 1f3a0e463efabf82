"""Issue 11 item 12: staff type rates in percent (6, 5.5, 5.5 %); the services take the fraction, exactly."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from creditdesk.core.forms import PercentField, percent_text


class RateForm(forms.Form):
    rate = PercentField(required=False)


@pytest.mark.parametrize(
    ("typed", "fraction"),
    [
        ("6", Decimal("0.06")),
        ("5.5", Decimal("0.055")),
        ("5.5%", Decimal("0.055")),
        (" 5.5 % ", Decimal("0.055")),
        ("５.５％", Decimal("0.055")),  # a full-width input method
        ("0", Decimal("0.00")),
        ("7.2525", Decimal("0.072525")),
        ("99.9999", Decimal("0.999999")),
        ("", None),
    ],
)
def test_a_percent_is_stored_as_the_exact_fraction(typed, fraction):
    form = RateForm({"rate": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rate"] == fraction
    if fraction is not None:
        assert str(form.cleaned_data["rate"]) == str(fraction)  # exactly, no float on the way


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "请以百分数填写利率，例如 6 或 5.5。"),
        ("0.5.5", "请以百分数填写利率，例如 6 或 5.5。"),
        ("-1", "请以百分数填写利率，例如 6 或 5.5。"),
        ("1e1", "请以百分数填写利率，例如 6 或 5.5。"),
        ("100", "利率应不小于 0% 且小于 100%。"),
        ("150", "利率应不小于 0% 且小于 100%。"),
        ("5.12345", "利率按百分数最多保留 4 位小数。"),
    ],
)
def test_a_bad_percent_is_a_field_error_in_chinese(typed, message):
    with translation.override("zh-hans"):
        form = RateForm({"rate": typed})
        assert not form.is_valid()
        assert form.errors["rate"] == [message]


def test_a_required_percent_says_so():
    class Required(forms.Form):
        rate = PercentField()

    assert "rate" in Required({"rate": ""}).errors


def test_the_initial_fraction_is_shown_in_percent():
    form = RateForm(initial={"rate": Decimal("0.055000")})
    assert 'value="5.5"' in str(form["rate"])
    assert 'inputmode="decimal"' in str(form["rate"])
    bound = RateForm({"rate": "6.5 %"})
    assert 'value="6.5 %"' in str(bound["rate"])  # what the person typed, as typed


@pytest.mark.parametrize(
    ("fraction", "text"),
    [(Decimal("0.06"), "6"), (Decimal("0.055000"), "5.5"), (Decimal("0.0725"), "7.25"), (Decimal("0.1"), "10")],
)
def test_percent_text(fraction, text):
    assert percent_text(fraction) == text


def test_a_default_given_as_text_is_a_fraction_shown_in_percent():
    form = RateForm(initial={"rate": "0.500000"})  # a model default, not yet a Decimal
    assert 'value="50"' in str(form["rate"])
    assert not RateForm({"rate": "50"}, initial={"rate": "0.500000"}).has_changed()
    assert RateForm({"rate": "5"}, initial={"rate": Decimal("0.06")}).has_changed()


@pytest.mark.parametrize(
    ("typed", "fraction"), [("-0.25", Decimal("-0.0025")), ("−0.25 %", Decimal("-0.0025")), ("1.5", Decimal("0.015"))]
)
def test_a_signed_percent_takes_a_negative_spread(typed, fraction):
    class SpreadForm(forms.Form):
        spread = PercentField(signed=True)

    form = SpreadForm({"spread": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["spread"] == fraction
    assert "spread" in SpreadForm({"spread": "-100"}).errors
    assert "rate" in RateForm({"rate": "-0.25"}).errors  # unsigned by default
