"""Factories for staff and org units; tests use the role personas of conftest.py."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from creditdesk.accounts.choices import OrgUnitKind
from creditdesk.accounts.models import OrgUnit, User

PASSWORD = "correct-horse-battery"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    kind = OrgUnitKind.DEPARTMENT
    parent = factory.LazyFunction(
        lambda: OrgUnit.objects.get_or_create(
            code="TEST-HQ", defaults={"name": "测试总公司", "kind": OrgUnitKind.COMPANY}
        )[0]
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    org_unit = factory.SubFactory(OrgUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])
        if create:
            self.save()
