from django.db import migrations, models

ENDED = ["completed", "decommissioned", "withdrawn"]


def close_reports_of_ended_partnerships(apps, schema_editor):
    """Ends are ends for partnerships that ended before reports could close:
    what was still owed (due or returned) is closed."""
    Report = apps.get_model("monitoring", "Report")
    Report.objects.filter(
        status__in=["due", "returned"], commission__status__in=ENDED
    ).update(status="closed")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="idempotency_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(
                choices=[
                    ("due", "Due"),
                    ("submitted", "Submitted, awaiting review"),
                    ("returned", "Returned for changes"),
                    ("accepted", "Accepted"),
                    ("closed", "Closed: the partnership ended"),
                ],
                default="due",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("commission", "idempotency_key"),
                name="one_complaint_per_form",
            ),
        ),
        migrations.RunPython(close_reports_of_ended_partnerships, migrations.RunPython.noop),
    ]
