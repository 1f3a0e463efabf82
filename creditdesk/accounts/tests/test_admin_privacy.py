"""The system administrator's screens show no customer data and no staff mobile in clear (issue 10 item 3,
docs/security.md: "the system administrator sees no customer data")."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from creditdesk.accounts.services import access_log_record
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.lending.services import plan_create
from creditdesk.lending.tests.factories import rated_car_loan

pytestmark = pytest.mark.django_db

CUSTOMER_NAME = "欧阳娜娜"
MOBILE = "13912345678"


@pytest.fixture
def book(persona, business_on):
    """A customer with an application, a service plan and an access-log row naming them."""
    sales = persona("alice")
    sales.mobile = MOBILE
    sales.save()
    application = rated_car_loan(sales, persona("carol"))
    customer = application.customer
    customer.name = CUSTOMER_NAME
    customer.save()
    plan_create(actor=sales, application=application)
    access_log_record(actor=sales, action="unmask", subject=customer, field="mobile", purpose="回访客户")
    return {"sales": sales, "customer": customer}


@pytest.fixture
def root(login):
    return login(UserFactory(username="root", is_staff=True, is_superuser=True))


def admin_pages() -> list[str]:
    """The change list and the add page of every model registered in the admin, and the index."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
    return urls


def test_no_admin_page_shows_a_customer_or_a_staff_mobile(root, book):
    for url in admin_pages():
        response = root.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert CUSTOMER_NAME not in html, url
        assert MOBILE not in html, url


def test_no_admin_change_page_shows_a_customer_or_a_staff_mobile(root, book):
    for model in admin.site._registry:
        for obj in model._default_manager.all()[:3]:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
            html = root.get(url).content.decode()
            assert CUSTOMER_NAME not in html, url
            assert MOBILE not in html, url


def test_the_staff_form_shows_the_mobile_masked_and_keeps_it_when_left_empty(root, book):
    sales = book["sales"]
    url = reverse("admin:accounts_user_change", args=[sales.pk])
    html = root.get(url).content.decode()
    assert MOBILE not in html
    assert "139****5678" in html
    form = root.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        {
            "username": sales.username,
            "groups": [g.pk for g in sales.groups.all()],
            "date_joined_0": "2027-01-01",
            "date_joined_1": "09:00:00",
            "mobile": "",
            "is_active": "on",
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    response = root.post(url, data)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^<]*<li>([^<]+)', response.content.decode())
    sales.refresh_from_db()
    assert sales.mobile == MOBILE
    data["mobile"] = "13700009999"
    assert root.post(url, data).status_code == 302
    sales.refresh_from_db()
    assert sales.mobile == "13700009999"


def test_the_history_page_keeps_customer_records_in_scope(login, persona, book, business_on):
    """`/accounts/history/customers/creditauthorization/…` answered the customer's records to the system admin."""
    from creditdesk.customers.models import CreditAuthorization

    customer = book["customer"]
    consent = CreditAuthorization.objects.create(
        customer=customer,
        signed_on=business_on,
        expires_on=business_on.replace(year=2030),
        purpose="贷款审批",
        document_reference="SQ-1",
        recorded_by=book["sales"],
    )
    paths = [
        f"/accounts/history/customers/customer/{customer.pk}/",
        f"/accounts/history/customers/creditauthorization/{consent.pk}/",
    ]
    for path in paths:
        mallory = login(persona("mallory"))
        assert mallory.get(path).status_code == 404, path
        judy = login(persona("judy"))
        response = judy.get(path)
        assert response.status_code == 200, path
        ivan = login(persona("ivan"))
        assert ivan.get(path).status_code == 200, path


@pytest.mark.parametrize("pk", ["abc", "-1", "99999999999999999999999", "1.5"])
def test_a_history_page_for_a_malformed_id_is_not_found(login, persona, pk):
    client = login(persona("ivan"))
    assert client.get(f"/accounts/history/customers/customer/{pk}/").status_code == 404


def test_every_history_model_is_scoped_or_configuration():
    """A model with history either declares its scope paths or leads to no scoped record (configuration)."""
    from django.apps import apps

    from creditdesk.accounts.selectors import history_unscoped

    for model in apps.get_models():
        if not hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        customer_bearing = any(
            f.is_relation
            and f.related_model is not None
            and hasattr(f.related_model, "SCOPE_OWNER")
            and f.related_model._meta.app_label != "accounts"
            for f in model._meta.fields
        )
        if customer_bearing:
            assert hasattr(model, "SCOPE_OWNER"), f"{model._meta.label} belongs to scoped data but declares no scope"
        else:
            assert hasattr(model, "SCOPE_OWNER") or history_unscoped(model), model._meta.label
