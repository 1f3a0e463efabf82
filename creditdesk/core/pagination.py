"""Pagination: one shape for API lists and one helper for pages."""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far past any list, small enough that the offset fits the databases' 64-bit integers (ARCHITECTURE rule 10).
MAX_PAGE = 1_000_000


class PageNumber(PaginationBase):
    """`?page=N&page_size=M` → `{"items", "count", "page", "page_size", "pages"}`; past the end gives no items."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (≤ 100).")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any) -> Any:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, math.ceil(count / pagination.page_size)),
        }


def page_of(request: HttpRequest, queryset: QuerySet[Any], *, per_page: int = DEFAULT_PAGE_SIZE) -> Page[Any]:
    """The page of a list view named by `?page=`; a bad or out-of-range number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
