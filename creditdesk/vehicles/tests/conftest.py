import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.vehicles.tests.factories import make_customer


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def zhang(persona, business_on):
    """Alice's customer."""
    return make_customer(persona("alice"), name="张三")


@pytest.fixture
def sam(db):
    """Another salesperson, in another department: Alice's customers are outside his scope."""
    return UserFactory(username="sam", roles=[Role.SALES])
