# Invitations to respond to a call (commissioning/calls/invitations.py) and
# a call's "yearly round for schools" flag.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0019_v_streams_and_records"),
        ("hubs", "0008_a_policy_life"),
        ("partners", "0004_r_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="for_schools",
            field=models.BooleanField(
                default=False,
                help_text="Only schools apply, each registered with its school URN (Kent's "
                "Funded Opportunities).",
                verbose_name="a yearly round for schools",
            ),
        ),
        migrations.CreateModel(
            name="CallInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, help_text="When the link was last sent."
                    ),
                ),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "call",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="commissioning.call",
                    ),
                ),
                (
                    "hub",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="hubs.hub",
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="call_invitations",
                        to="partners.partnerorganisation",
                    ),
                ),
                (
                    "used_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["call", "-created_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("email", ""), _negated=True),
                        fields=("call", "email"),
                        name="one_invitation_per_address",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("partner__isnull", False)),
                        fields=("call", "partner"),
                        name="one_invitation_per_partner",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("email", ""), ("partner__isnull", False)),
                            models.Q(
                                models.Q(("email", ""), _negated=True), ("partner__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="invitation_to_address_or_partner",
                    ),
                ],
            },
        ),
    ]
