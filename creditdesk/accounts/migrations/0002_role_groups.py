"""Data migration: every role of ARCHITECTURE.md §Access exists as a group."""

from django.db import migrations

ROLES = [
    "sales", "department_head", "risk_officer", "approver", "legal", "finance",
    "customer_service", "collector", "info_admin", "auditor", "system_admin",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_staff_and_org_units"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
