"""Issue 11 item 13: every htmx form shows the server's errors beside the field.

One mechanism: htmx swaps 409/422 answers (the htmx-config meta tag), each view answers an htmx 422 with the
form's fragment and the error beside its field, and a refusal without a fragment (403, 429, 500…) is announced
in the page's alert area by the site script."""

import json
import re

import pytest

from creditdesk.customers.services import customer_create

pytestmark = pytest.mark.django_db


def _htmx_config(html: str) -> dict:
    found = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert found is not None
    return json.loads(found.group(1))


def _swaps(config: dict, status: int) -> bool:
    for rule in config["responseHandling"]:
        if re.search(rule["code"], str(status)):
            return bool(rule["swap"])
    return False


def test_htmx_swaps_422_and_409_answers_and_announces_the_others(login, alice, business_on):
    html = login(alice).get("/").content.decode()
    config = _htmx_config(html)
    assert _swaps(config, 422)
    assert _swaps(config, 409)
    assert _swaps(config, 200)
    assert not _swaps(config, 403)
    assert not _swaps(config, 500)
    assert not _swaps(config, 204)
    assert "js/site.js" in html
    assert 'id="request-error"' in html
    assert "请求未完成" in html


def _oob_errors(html: str, name: str) -> str:
    """The out-of-band error box of the field `name` in an htmx answer."""
    found = re.search(rf'<div class="field-errors" id="id_{name}-errors" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert found is not None, f"no error box for {name}"
    return found.group(1)


def _field_of(html: str, name: str) -> str:
    """The form-field block that holds the input `name`."""
    blocks = re.findall(r'<div class="field[^"]*">.*?</div>', html, re.S)
    found = [b for b in blocks if f'name="{name}"' in b]
    assert found, f"no field {name}"
    return found[0]


def test_the_quote_calculator_shows_a_form_error_beside_the_rate(login, alice, business_on):
    response = login(alice).post(
        "/lending/quote/",
        {"principal_amount": "60000.00", "annual_rate": "100", "term_months": "12", "method": "equal_instalment"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "利率应不小于 0% 且小于 100%。" in _oob_errors(html, "annual_rate")
    assert _oob_errors(html, "term_months") == ""  # the other boxes are emptied
    assert 'name="annual_rate"' not in html  # the inputs are left as the person is typing them


def test_the_quote_calculator_shows_a_service_error_beside_its_field(login, alice, business_on):
    """The product's rate bounds are the service's rule: its 422 lands beside the rate too."""
    response = login(alice).post(
        "/lending/quote/",
        {
            "product": "UC-RETAIL",
            "price_amount": "150000.00",
            "down_payment_amount": "60000.00",
            "annual_rate": "50",
            "term_months": "36",
            "method": "equal_instalment",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "field-error" in _oob_errors(html, "annual_rate")


def test_a_corrected_quote_clears_the_old_errors(login, alice, business_on):
    response = login(alice).post(
        "/lending/quote/",
        {"principal_amount": "60000.00", "annual_rate": "6", "term_months": "12", "method": "equal_instalment"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert _oob_errors(html, "annual_rate") == ""
    assert 'class="field-error"' not in html


def test_the_customer_unmask_form_comes_back_with_its_error_beside_the_purpose(login, alice, business_on):
    customer = customer_create(
        actor=alice, kind="individual", name="张三", id_number="11010519491231002X", mobile="13812345678"
    )
    response = login(alice).post(
        f"/customers/{customer.pk}/unmask/", {"field": "mobile", "purpose": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "138****5678" in html  # still masked
    assert "13812345678" not in html
    purpose = _field_of(html, "purpose")
    assert "has-error" in purpose
    assert 'role="alert"' in purpose
    assert '<details class="unmask" open>' in html


def test_the_staff_unmask_form_comes_back_with_its_error_beside_the_purpose(login, persona):
    grace = persona("grace")
    grace.mobile = "13812345678"
    grace.save()
    response = login(persona("ivan")).post(
        f"/accounts/staff/{grace.pk}/unmask/", {"field": "mobile", "purpose": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 422
    purpose = _field_of(html, "purpose")
    assert "has-error" in purpose
    assert "请说明查看该信息的用途" in purpose
