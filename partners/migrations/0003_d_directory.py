import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import hubs.search

# What the directory's search reads (partners/directory/filters.py), frozen here.
SEARCH_FIELDS = ["name", "org_id", "charity_number", "company_number"]


def meetings_from_dates(apps, schema_editor):
    """Each introductory meeting held before meetings were kept in full (a
    bare date in the admin) becomes a record of a successful meeting."""
    Partner = apps.get_model("partners", "PartnerOrganisation")
    Meeting = apps.get_model("partners", "IntroductoryMeeting")
    Meeting.objects.bulk_create(
        Meeting(
            hub_id=hub_id,
            partner_id=pk,
            origin="proposed",
            held_on=held_on,
            outcome="successful",
            outcome_notes="Recorded before meetings were kept in full: the date only.",
        )
        for pk, hub_id, held_on in Partner.objects.filter(
            introductory_meeting_on__isnull=False
        ).values_list("pk", "hub_id", "introductory_meeting_on")
    )


def _user_fk(**kwargs):
    return models.ForeignKey(
        on_delete=kwargs.pop("on_delete", django.db.models.deletion.SET_NULL),
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        **kwargs,
    )


def _hub_fk():
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="hubs.hub"
    )


def _id():
    return models.BigAutoField(
        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0010_d_partner_status"),
        ("partners", "0002_b_partnership_types"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="partnerorganisation",
            name="former_on",
            field=models.DateField(blank=True, null=True, verbose_name="former partner since"),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="former_reason",
            field=models.TextField(blank=True, verbose_name="why it is a former partner"),
        ),
        migrations.AddIndex(
            model_name="partnerorganisation",
            index=models.Index(fields=["hub", "partnership_type"], name="partner_hub_type"),
        ),
        migrations.AddIndex(
            model_name="partnerorganisation",
            index=models.Index(fields=["hub", "organisation_type"], name="partner_hub_org_type"),
        ),
        migrations.AddIndex(
            model_name="partnerorganisation",
            index=models.Index(
                fields=["hub", "introductory_meeting_on"], name="partner_hub_meeting"
            ),
        ),
        migrations.AddIndex(
            model_name="partnerorganisation",
            index=models.Index(fields=["hub", "former_on"], name="partner_hub_former"),
        ),
        hubs.search.AddSearchIndex("partnerorganisation", "partner_search", SEARCH_FIELDS),
        migrations.CreateModel(
            name="IntroductoryMeeting",
            fields=[
                ("id", _id()),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("requested", "Requested by the organisation"),
                            ("proposed", "Proposed by HLO staff"),
                        ],
                        max_length=20,
                    ),
                ),
                ("asked_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "request_note",
                    models.TextField(blank=True, verbose_name="what to talk about, and when suits"),
                ),
                (
                    "proposed_for",
                    models.DateField(blank=True, null=True, verbose_name="proposed date"),
                ),
                ("held_on", models.DateField(blank=True, null=True, verbose_name="held on")),
                ("attendees", models.TextField(blank=True, verbose_name="who attended")),
                (
                    "partnership_type_agreed",
                    models.CharField(
                        blank=True, max_length=20, verbose_name="partnership type agreed"
                    ),
                ),
                (
                    "safeguarding_explained",
                    models.BooleanField(
                        default=False, verbose_name="safeguarding standards explained"
                    ),
                ),
                (
                    "quality_explained",
                    models.BooleanField(default=False, verbose_name="quality standards explained"),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("successful", "Successful: it can become a partner"),
                            ("follow_up", "Another meeting is needed"),
                            ("not_proceeding", "Not proceeding"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "outcome_notes",
                    models.TextField(blank=True, verbose_name="notes on the outcome"),
                ),
                ("recorded_at", models.DateTimeField(blank=True, null=True)),
                ("asked_by", _user_fk(null=True)),
                ("hub", _hub_fk()),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="introductory_meetings",
                        to="partners.partnerorganisation",
                    ),
                ),
                ("recorded_by", _user_fk(null=True, blank=True)),
            ],
            options={
                "ordering": ["partner", "-asked_at", "-pk"],
                "indexes": [
                    models.Index(fields=["partner", "held_on"], name="meeting_partner_held"),
                    models.Index(fields=["hub", "held_on"], name="meeting_hub_held"),
                ],
            },
        ),
        migrations.CreateModel(
            name="PartnerNote",
            fields=[
                ("id", _id()),
                ("text", models.TextField(verbose_name="note")),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("hub", _hub_fk()),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="partners.partnerorganisation",
                    ),
                ),
                ("written_by", _user_fk(null=True)),
            ],
            options={
                "ordering": ["partner", "-written_at", "-pk"],
                "indexes": [
                    models.Index(fields=["partner", "written_at"], name="note_partner_written")
                ],
            },
        ),
        migrations.CreateModel(
            name="PartnerMerge",
            fields=[
                ("id", _id()),
                ("merged_name", models.CharField(max_length=200)),
                ("merged_partner_id", models.PositiveIntegerField()),
                ("merged_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reason", models.TextField(blank=True)),
                (
                    "moved",
                    models.JSONField(default=dict, help_text="Records moved, by kind."),
                ),
                ("hub", _hub_fk()),
                (
                    "kept",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="merges",
                        to="partners.partnerorganisation",
                    ),
                ),
                ("merged_by", _user_fk(on_delete=django.db.models.deletion.PROTECT)),
            ],
            options={"ordering": ["kept", "-merged_at"]},
        ),
        migrations.RunPython(meetings_from_dates, migrations.RunPython.noop),
    ]
