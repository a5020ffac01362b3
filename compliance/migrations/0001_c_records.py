import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import compliance.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("hubs", "0008_a_policy_life"),
        ("partners", "0002_b_partnership_types"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplianceItemKind",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(help_text="A short name kept on each record, for example first_aid. It cannot be one of the standard kinds' keys.", max_length=30)),
                ("name", models.CharField(help_text="What people read: 'First aid certificate'.", max_length=100)),
                ("description", models.CharField(blank=True, max_length=300)),
                ("per_individual", models.BooleanField(default=False, help_text="Each record names a person.", verbose_name="held by a named individual")),
                ("needs_document", models.BooleanField(default=True, verbose_name="a document is attached")),
                ("expires", models.BooleanField(default=True, verbose_name="has an expiry date")),
                ("hub", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="compliance_kinds", to="hubs.hub")),
            ],
            options={
                "verbose_name": "compliance item kind",
                "ordering": ["hub", "name"],
                "constraints": [models.UniqueConstraint(fields=("hub", "key"), name="unique_compliance_kind_per_hub")],
            },
        ),
        migrations.CreateModel(
            name="ComplianceRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30)),
                ("person_name", models.CharField(blank=True, max_length=200, verbose_name="named individual")),
                ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact email")),
                ("certificate_number", models.CharField(blank=True, max_length=20)),
                ("barred_list_checked", models.BooleanField(default=False, verbose_name="includes the children's barred list")),
                ("update_service", models.BooleanField(default=False, verbose_name="registered with the DBS Update Service")),
                ("insurer", models.CharField(blank=True, max_length=200)),
                ("cover_amount", models.DecimalField(blank=True, decimal_places=0, max_digits=12, null=True, verbose_name="cover (£)")),
                ("valid_from", models.DateField()),
                ("expires_on", models.DateField(blank=True, null=True)),
                ("review_on", models.DateField(blank=True, null=True, verbose_name="next review by")),
                ("notes", models.TextField(blank=True)),
                ("document", models.FileField(blank=True, upload_to=compliance.models.record_document_path)),
                ("document_name", models.CharField(blank=True, max_length=255)),
                ("document_type", models.CharField(blank=True, max_length=100)),
                ("document_size", models.PositiveIntegerField(default=0)),
                ("document_sha256", models.CharField(blank=True, max_length=64)),
                ("added_at", models.DateTimeField()),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                ("added_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("hub", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="compliance_records", to="hubs.hub")),
                ("partner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="compliance_records", to="partners.partnerorganisation")),
                ("verified_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["partner__name", "kind", "-valid_from", "-pk"],
                "indexes": [
                    models.Index(fields=["partner", "kind"], name="compliance_partner_kind"),
                    models.Index(fields=["hub", "expires_on"], name="compliance_hub_expiry"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ComplianceRequirement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(help_text="A standard kind's key or one of the hub's own kinds' keys.", max_length=30)),
                ("before_award", models.BooleanField(default=True, verbose_name="required before the award")),
                ("before_signature", models.BooleanField(default=False, verbose_name="required before the agreement is signed")),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("policy", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="compliance_requirements", to="hubs.hubpolicy")),
            ],
            options={
                "verbose_name": "compliance requirement",
                "ordering": ["policy", "position", "pk"],
                "constraints": [models.UniqueConstraint(fields=("policy", "kind"), name="unique_compliance_requirement_per_policy")],
            },
        ),
    ]
