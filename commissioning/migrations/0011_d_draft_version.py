# A draft version on each expression of interest (hubs/drafts.py): every save
# from the form moves it on, and a save carrying an older one is refused.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0010_b_score_scale"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="draft_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
