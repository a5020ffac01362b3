import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agreement",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("draft", "Draft"),
                    ("board_comment", "With the board for comment"),
                    ("approval", "Awaiting approval"),
                    ("issued", "Issued for signature"),
                    ("partner_signed", "Signed by the partner, awaiting countersignature"),
                    ("signed", "Signed by both parties"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="draft",
                max_length=20,
                protected=True,
            ),
        ),
    ]
