"""Data migration: encrypt the condition reports stored in clear before encryption (issue #10 item 8)."""

from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from creditdesk.core.private_files import encrypt_stored

    rows = apps.get_model("vehicles", "Vehicle")._base_manager.exclude(condition_report="").order_by("pk")
    encrypt_stored(rows, file_field="condition_report", key_field="condition_report_key")


class Migration(migrations.Migration):
    dependencies = [("vehicles", "0002_condition_report_key")]
    # Decrypting back would write personal information in clear again: not reversible on purpose.
    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
