"""Meeting requests get their own access key for the buyer's sent and erase pages (issue 20).

Their pages were keyed by the form token, which the form page itself showed. Existing rows
get a fresh random key each (a single default would repeat one value and break uniqueness):
the field is added nullable, filled, then made unique and required.
"""

import secrets

from django.db import migrations, models

import marketplace.pipeline.private


def fill_keys(apps, schema_editor):
    MeetingRequest = apps.get_model("marketplace", "MeetingRequest")
    for meeting in MeetingRequest.objects.filter(access_token__isnull=True).only("pk").iterator():
        # As pipeline.private.new_token: 256 bits from the OS (inlined so the migration never changes).
        MeetingRequest.objects.filter(pk=meeting.pk).update(access_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0008_sample_order_erasure"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingrequest",
            name="access_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="access token"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meetingrequest",
            name="access_token",
            field=models.CharField(
                default=marketplace.pipeline.private.new_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="access token",
            ),
        ),
    ]
