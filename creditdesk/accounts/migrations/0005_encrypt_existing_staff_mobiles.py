"""Data migration: encrypt staff mobile numbers stored before the field was encrypted (SEC-2)."""

from django.db import migrations

TABLES = ["accounts_user", "accounts_historicaluser"]


def encrypt_existing(apps, schema_editor):
    from creditdesk.core.crypto import SEPARATOR, encrypt

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in TABLES:
            pk = "history_id" if table.endswith("historicaluser") else "id"
            cursor.execute(f"SELECT {quote(pk)}, mobile FROM {quote(table)} WHERE mobile <> ''")  # noqa: S608
            rows = [(key, value) for key, value in cursor.fetchall() if value and SEPARATOR not in value]
            for key, value in rows:
                cursor.execute(
                    f"UPDATE {quote(table)} SET mobile = %s WHERE {quote(pk)} = %s",  # noqa: S608
                    [encrypt(value), key],
                )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_encrypt_staff_mobile")]
    # Decrypting back would write personal information in clear again: not reversible on purpose.
    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
