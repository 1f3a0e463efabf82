"""Nothing sensitive is kept by a browser or proxy cache (issue #10 item 8): every unmask, download and export
response, API and pages, says `Cache-Control: no-store`. The list is found from the URL configuration, so a new
unmask/export/download route without the header (or without a case here) fails this test."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from creditdesk.accounts.disclosure import disclosure_decide, disclosure_request
from creditdesk.accounts.tests.otp import sign_in
from creditdesk.customers.services import document_upload
from creditdesk.vehicles.services import condition_report_attach
from creditdesk.vehicles.tests.factories import make_customer, make_vehicle

SENSITIVE_ROUTE = re.compile(r"unmask|export|download|documents/<int:doc_pk>|condition-report/$")


def _routes(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


def sensitive_routes() -> set[str]:
    return {route for route in _routes(get_resolver().url_patterns) if SENSITIVE_ROUTE.search(route)}


@pytest.fixture
def cases(client, api_token, persona, settings, tmp_path, business_on):
    """Route → (who, method, path, body): one real request for each sensitive route."""
    settings.MEDIA_ROOT = tmp_path
    alice, ivan = persona("alice"), persona("ivan")
    customer = make_customer(alice, name="张三")
    doc = document_upload(
        actor=alice, customer=customer, doc_type="id_card", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    )
    vehicle = condition_report_attach(
        actor=alice, vehicle=make_vehicle(customer), upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n")
    )
    disclosure = disclosure_request(
        requester=alice,
        dataset="customers",
        record_ids=[customer.pk],
        fields=["name"],
        recipient="某律师事务所",
        purpose="协助诉讼",
        legal_basis="regulator",
    )
    disclosure_decide(request=disclosure, actor=ivan, approve=True, comment="已核实")
    why = {"purpose": "核对身份信息"}
    return {
        "customers/<int:pk>/unmask/": (
            alice,
            "POST",
            f"/customers/{customer.pk}/unmask/",
            {"field": "id_number", **why},
        ),
        "customers/<int:pk>/documents/<int:doc_pk>/": (
            alice,
            "POST",
            f"/customers/{customer.pk}/documents/{doc.pk}/",
            why,
        ),
        "vehicles/<int:pk>/condition-report/": (alice, "POST", f"/vehicles/{vehicle.pk}/condition-report/", why),
        "api/v1/vehicles/<vehicle_id>/condition-report/download": (
            alice,
            "API",
            f"/api/v1/vehicles/{vehicle.pk}/condition-report/download",
            why,
        ),
        "accounts/access-log/export/": (ivan, "GET", "/accounts/access-log/export/", None),
        "accounts/disclosures/<int:pk>/export/": (alice, "GET", f"/accounts/disclosures/{disclosure.pk}/export/", None),
        "accounts/staff/<int:pk>/unmask/": (
            ivan,
            "POST",
            f"/accounts/staff/{alice.pk}/unmask/",
            {"field": "mobile", **why},
        ),
        "api/v1/customers/<customer_id>/unmask": (
            alice,
            "API",
            f"/api/v1/customers/{customer.pk}/unmask",
            {"field": "id_number", **why},
        ),
        "api/v1/customers/<customer_id>/documents/<document_id>/download": (
            alice,
            "API",
            f"/api/v1/customers/{customer.pk}/documents/{doc.pk}/download",
            why,
        ),
        "api/v1/staff/<staff_id>/unmask": (
            ivan,
            "API",
            f"/api/v1/staff/{alice.pk}/unmask",
            {"field": "mobile", **why},
        ),
        "api/v1/access-log/export": (ivan, "APIGET", "/api/v1/access-log/export", None),
        "api/v1/disclosures/<disclosure_id>/export": (
            alice,
            "APIGET",
            f"/api/v1/disclosures/{disclosure.pk}/export",
            None,
        ),
    }


@pytest.mark.django_db
def test_every_unmask_download_and_export_response_says_no_store(client, api_token, cases):
    """Item 8: the routes found in the URL configuration are exactly the cases, and each answers no-store."""
    assert sensitive_routes() == set(cases)
    for route, (user, method, path, body) in cases.items():
        if method.startswith("API"):
            client.logout()
            auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
            if method == "APIGET":
                response = client.get(path, **auth)
            else:
                response = client.post(path, json.dumps(body), content_type="application/json", **auth)
        else:
            sign_in(client, user)
            response = client.post(path, body) if method == "POST" else client.get(path)
        assert response.status_code == 200, (route, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), route
