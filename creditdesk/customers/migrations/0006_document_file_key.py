"""Documents keep their own encrypted file key (issue #10 item 8)."""

import creditdesk.core.crypto
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0005_subject_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='customerdocument',
            name='file_key',
            field=creditdesk.core.crypto.EncryptedTextField(blank=True, editable=False, verbose_name='file key'),
        ),
        migrations.AddField(
            model_name='historicalcustomerdocument',
            name='file_key',
            field=creditdesk.core.crypto.EncryptedTextField(blank=True, editable=False, verbose_name='file key'),
        ),
    ]
