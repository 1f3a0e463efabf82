"""The API as a whole: valid OpenAPI, every error documented, and no input makes it answer 500.

schemathesis generates valid and invalid requests for every operation from the OpenAPI document and calls
the WSGI application in-process with a real bearer token.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from creditdesk.urls import api
from creditdesk.wsgi import application

# The document needs sign-in outside debug mode: load it in-process and call the app like from_wsgi does.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


def test_openapi_document_is_openapi_3(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/auth/token", "/api/v1/me"} <= set(doc["paths"])


def test_every_operation_documents_its_errors(client, alice):
    client.force_login(alice)
    doc = client.get("/api/v1/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "422"} <= codes or path == "/api/v1/auth/token", (method, path, codes)


def test_the_docs_page_loads_its_assets_locally(client, alice):
    client.force_login(alice)
    html = client.get("/api/v1/docs").content.decode()
    for cdn in ("cdn.", "unpkg", "jsdelivr"):
        assert cdn not in html


@pytest.fixture
def no_connection_closing():
    """A WSGI call closes old connections when it starts and ends, which would end the test's transaction.

    Django's own test client disconnects the same handlers.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, persona, api_token):
    return api_token(persona("mallory"))


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_request_makes_the_api_fail(case, token, no_connection_closing, business_on):
    """Bad input to any endpoint gives a 4xx with the error body, never a 500."""
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
