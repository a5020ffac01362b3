import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import hubs.documents


def meeting_hubs_after_meeting(apps, schema_editor):
    """A policy that requires an introductory meeting makes an official
    partner of an organisation only after one (Leicestershire's: "any
    individual or organisation wishing to become an official partner must
    participate in an introductory meeting")."""
    HubPolicy = apps.get_model("hubs", "HubPolicy")
    HubPolicy.objects.filter(introductory_meeting_required=True).update(
        official_partner_when="meeting"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0009_v_variation_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="hub",
            name="enquiries_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="email for queries"),
        ),
        migrations.AddField(
            model_name="hub",
            name="enquiries_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="contact for queries"),
        ),
        migrations.AddField(
            model_name="hub",
            name="enquiries_phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="telephone for queries"),
        ),
        migrations.AddField(
            model_name="hubpolicy",
            name="official_partner_when",
            field=models.CharField(
                choices=[
                    ("officer", "when HLO staff decide"),
                    ("meeting", "after a successful introductory meeting"),
                    ("partnership", "after its first completed partnership"),
                ],
                default="officer",
                help_text="HLO staff mark an organisation an official Hub partner; this says "
                "what must have happened first.",
                max_length=20,
                verbose_name="an organisation becomes an official Hub partner",
            ),
        ),
        migrations.RunPython(meeting_hubs_after_meeting, migrations.RunPython.noop),
        migrations.CreateModel(
            name="HubDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("agreement", "Blank partnership agreement"),
                            ("quality", "Quality standards"),
                            ("safeguarding", "Safeguarding standards"),
                            ("inclusion", "Inclusion strategy"),
                            ("other", "Other guidance"),
                        ],
                        max_length=20,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("file", models.FileField(upload_to=hubs.documents.hub_document_path)),
                ("original_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "hub",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="hubs.hub",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["hub", "kind", "title", "pk"],
                "indexes": [models.Index(fields=["hub", "kind"], name="hub_document_kind")],
            },
        ),
    ]
