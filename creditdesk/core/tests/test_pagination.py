"""Lists are paginated with one shape (`items, count, page, page_size, pages`)."""

import pytest
from django.test import RequestFactory

from creditdesk.core.audit import record_event
from creditdesk.core.models import AuditEvent
from creditdesk.core.pagination import PageNumber, page_of


@pytest.fixture
def events(business_on):
    for n in range(45):
        record_event(actor=None, subject=None, event_type=f"test.{n}")
    return AuditEvent.objects.order_by("id")


def test_api_pages_have_counts_and_stop_at_the_end(events, django_assert_max_num_queries):
    paginator = PageNumber()
    request = RequestFactory().get("/")
    with django_assert_max_num_queries(2):
        page = paginator.paginate_queryset(events, PageNumber.Input(page=3, page_size=20), request)
    assert (page["count"], page["page"], page["pages"], len(page["items"])) == (46, 3, 3, 6)
    past = paginator.paginate_queryset(events, PageNumber.Input(page=9, page_size=20), request)
    assert past["items"] == []


def test_page_size_is_capped():
    with pytest.raises(ValueError, match="page_size"):
        PageNumber.Input(page=1, page_size=101)
    with pytest.raises(ValueError, match="page"):
        PageNumber.Input(page=0, page_size=10)


def test_view_pages_fall_back_to_the_nearest_page(events):
    assert page_of(RequestFactory().get("/?page=abc"), events).number == 1
    assert page_of(RequestFactory().get("/?page=99"), events, per_page=20).number == 3
