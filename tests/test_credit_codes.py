"""Issue 11 item 8: a credit code whose embedded organisation code (GB 11714, places 9–17) has the wrong check
character is refused wherever a credit code comes in, with a field error in the staff's language."""

import json

import pytest
from django.utils import translation

from creditdesk.core.identifiers import InvalidIdentifier, complete_credit_code, parse_credit_code
from creditdesk.customers.models import Customer

pytestmark = pytest.mark.django_db
WRONG_ORGANISATION_CHECK = "91350100M000100914"  # place 18 right, place 17 should be 4


def test_the_refusal_reads_in_chinese():
    """Issue 11 item 8: the message is translated like the other identifier errors."""
    with translation.override("zh-hans"), pytest.raises(InvalidIdentifier) as excinfo:
        parse_credit_code(WRONG_ORGANISATION_CHECK)
    assert "组织机构代码" in excinfo.value.message


@pytest.mark.parametrize(
    ("code", "status"), [(WRONG_ORGANISATION_CHECK, 422), (complete_credit_code("91350100M0001009"), 201)]
)
def test_the_customer_api_checks_the_organisation_code(client, api_token, persona, business_on, code, status):
    """Issue 11 item 8: POST /api/v1/customers refuses the code of the issue, field credit_code."""
    response = client.post(
        "/api/v1/customers",
        json.dumps({"kind": "company", "name": "华信商贸有限公司", "credit_code": code}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(persona('alice'))}",
    )
    assert response.status_code == status, response.content
    if status == 422:
        assert "credit_code" in response.json()["fields"]
        assert not Customer.objects.exists()
