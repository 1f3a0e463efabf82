"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet

from creditdesk.accounts.models import OrgUnit, User


def staff_list() -> QuerySet[User]:
    return User.objects.select_related("org_unit").prefetch_related("groups").order_by("username")


def org_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("parent").order_by("code")
