"""The staff directory shows personal data masked and scoped; unmasking is a logged, purposeful act (PRIN-3)."""

import pytest
from django.db import connection

from creditdesk.accounts.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(persona):
    staff = persona("grace")
    staff.mobile = "13812345678"
    staff.save()
    return staff


def test_the_mobile_is_encrypted_at_rest(grace):
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_user WHERE id = %s", [grace.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    assert grace.__class__.objects.get(pk=grace.pk).mobile == "13812345678"


def test_the_directory_masks_mobiles(login, persona, grace, django_assert_max_num_queries):
    client = login(persona("judy"))
    for n in range(5):
        persona("alice").__class__.objects.create(username=f"extra{n}", mobile=f"1390000000{n}")
    with django_assert_max_num_queries(14):
        html = client.get("/accounts/staff/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html
    assert "显示明文" not in html  # auditors read masked data only


def test_the_information_administrator_unmasks_with_a_purpose(login, persona, grace):
    ivan = persona("ivan")
    client = login(ivan)
    assert "显示明文" in client.get("/accounts/staff/").content.decode()
    response = client.post(
        f"/accounts/staff/{grace.pk}/unmask/", {"field": "mobile", "purpose": "通知培训安排"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    assert AccessLogEntry.objects.filter(actor=ivan, subject_id=str(grace.pk), field="mobile").count() == 1


def test_unmask_without_purpose_is_refused_inline(login, persona, grace):
    client = login(persona("ivan"))
    response = client.post(
        f"/accounts/staff/{grace.pk}/unmask/", {"field": "mobile", "purpose": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "请说明查看该信息的用途" in response.content.decode()
    assert "13812345678" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_the_api_masks_and_unmasks(client, api_token, persona, grace):
    ivan_headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('ivan'))}"}
    listed = client.get("/api/v1/staff?q=grace", **ivan_headers).json()
    assert listed["items"][0]["mobile"] == "138****5678"
    response = client.post(
        f"/api/v1/staff/{grace.pk}/unmask",
        {"field": "mobile", "purpose": "通知培训安排"},
        content_type="application/json",
        **ivan_headers,
    )
    assert response.json() == {"field": "mobile", "value": "13812345678"}
    assert AccessLogEntry.objects.filter(action="unmask").count() == 1


def test_the_api_refuses_unmask_to_other_roles_before_reading_the_body(client, api_token, persona, grace):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('judy'))}"}
    response = client.post(f"/api/v1/staff/{grace.pk}/unmask", "not json", content_type="application/json", **headers)
    assert response.status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_staff_outside_scope_answer_404(client, api_token, persona, grace):
    from creditdesk.accounts.tests.factories import OrgUnitFactory, UserFactory

    bob = persona("bob")
    stranger = UserFactory(username="stranger", org_unit=OrgUnitFactory(code="ELSEWHERE"), mobile="13700000000")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(bob)}"}
    usernames = [s["username"] for s in client.get("/api/v1/staff", **headers).json()["items"]]
    assert "stranger" not in usernames
    assert "bob" in usernames
    assert stranger.pk
