# Helper j: joint bids. A proposal's co-applicants (the lead is the proposal's
# partner) and, from the award, every partner of the commission with its share.

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0015_decision_kind_policy_approval"),
        ("partners", "0002_b_partnership_types"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ProposalPartner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("role_in_bid", models.CharField(max_length=300, verbose_name="what it delivers")),
                (
                    "share_of_activity",
                    models.DecimalField(
                        decimal_places=2, max_digits=5, verbose_name="share of the activity (%)"
                    ),
                ),
                (
                    "share_of_budget",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, verbose_name="share of the Hub grant (£)"
                    ),
                ),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "added_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="joint_proposals",
                        to="partners.partnerorganisation",
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="co_applicants",
                        to="commissioning.proposal",
                    ),
                ),
            ],
            options={
                "ordering": ["proposal", "partner__name"],
                "indexes": [
                    models.Index(fields=["partner", "proposal"], name="co_applicant_partner")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("proposal", "partner"), name="one_co_applicant_each"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CommissionPartner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("is_lead", models.BooleanField(default=False)),
                (
                    "role_in_bid",
                    models.CharField(blank=True, max_length=300, verbose_name="what it delivers"),
                ),
                ("share_of_activity", models.DecimalField(decimal_places=2, max_digits=5)),
                (
                    "grant_amount",
                    models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=12),
                ),
                (
                    "commission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="joint_partners",
                        to="commissioning.commission",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="joint_commissions",
                        to="partners.partnerorganisation",
                    ),
                ),
            ],
            options={
                "ordering": ["commission", "-is_lead", "partner__name"],
                "indexes": [
                    models.Index(fields=["partner", "commission"], name="commission_partner_of")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("commission", "partner"), name="one_commission_partner_each"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("is_lead", True)),
                        fields=("commission",),
                        name="one_lead_partner",
                    ),
                ],
            },
        ),
    ]
