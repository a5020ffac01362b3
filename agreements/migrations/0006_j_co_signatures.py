# Helper j: a co-applicant's signature on a joint partnership's agreement.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_partnership_types_from_policy"),
        ("partners", "0002_b_partnership_types"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CoSignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("full_name", models.CharField(max_length=200)),
                ("role_title", models.CharField(max_length=200, verbose_name="role")),
                ("consent_statement", models.TextField()),
                ("signed_at", models.DateTimeField()),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("user_agent", models.CharField(blank=True, max_length=300)),
                ("version_number", models.PositiveIntegerField()),
                (
                    "content_digest",
                    models.CharField(
                        help_text="SHA-256 of the agreement text and schedule signed.",
                        max_length=64,
                    ),
                ),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="co_signatures",
                        to="agreements.agreement",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="partners.partnerorganisation",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["signed_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agreement", "partner"), name="one_co_signature_per_partner"
                    )
                ],
            },
        ),
    ]
