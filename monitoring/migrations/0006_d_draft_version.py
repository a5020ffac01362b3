# A draft version on each report (hubs/drafts.py): every save from the form
# moves it on, and a save carrying an older one is refused.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_b_schedules"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="draft_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
