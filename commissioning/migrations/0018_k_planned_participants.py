from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0017_j_joint_bids"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="planned_participants",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="How many will take part, in total. The Hub compares the cost per participant.",
                null=True,
                verbose_name="children and young people you plan to reach",
            ),
        ),
    ]
