"""Data migration: encrypt the document files stored in clear before encryption (issue #10 item 8)."""

from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from creditdesk.customers.documents import encrypt_stored_documents

    encrypt_stored_documents(apps.get_model("customers", "CustomerDocument")._base_manager.order_by("pk"))


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_document_file_key")]
    # Decrypting back would write personal information in clear again: not reversible on purpose.
    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
