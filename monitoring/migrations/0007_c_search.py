# Indexes for the reports and complaints lists' filters, sorts and search
# (issue 15); the GIN search indexes on PostgreSQL only (hubs.search).

from django.db import migrations, models

from hubs.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_d_draft_version"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["hub", "kind"], name="report_hub_kind"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["hub", "logged_at"], name="complaint_hub_logged"),
        ),
        AddSearchIndex("report", "report_search", ["title"]),
        AddSearchIndex("complaint", "complaint_search", ["summary", "raised_by"]),
    ]
