"""Item 4 of the sign-in part: the API docs and OpenAPI document need sign-in unless configured public."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_needs_sign_in(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_docs_page_sends_anonymous_users_to_sign_in(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signed_in_users_and_bearer_tokens_get_the_docs(client, alice, api_token):
    token = api_token(alice)
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(alice)
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_the_docs_can_be_made_public(client, settings):
    settings.CREDITDESK_API_DOCS_PUBLIC = True
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
