# An organisation's own profile, for registering itself from a call
# (partners/registration/): address, school URN, website and phone, who
# registered it and when; community interest companies as a type; and each
# charity number, company number and URN naming one organisation in a hub.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_d_directory"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="partnerorganisation",
            name="organisation_type",
            field=models.CharField(
                choices=[
                    ("charity", "Charity"),
                    ("company", "Company"),
                    ("cic", "Community interest company (CIC)"),
                    ("local_authority", "Local authority or music service"),
                    ("school", "School or academy trust"),
                    ("higher_education", "College or university"),
                    ("community", "Community organisation"),
                    ("individual", "Individual practitioner"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="school_urn",
            field=models.CharField(
                blank=True,
                help_text="A school's unique reference number.",
                max_length=6,
                verbose_name="school URN",
            ),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="address_line_1",
            field=models.CharField(blank=True, max_length=200, verbose_name="address line 1"),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="address_line_2",
            field=models.CharField(blank=True, max_length=200, verbose_name="address line 2"),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="town",
            field=models.CharField(blank=True, max_length=100, verbose_name="town or city"),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="postcode",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="website",
            field=models.URLField(blank=True),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="phone",
            field=models.CharField(blank=True, max_length=30, verbose_name="phone number"),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="registered_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who registered the organisation themself, from a call or an invitation.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="registered_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Set when the organisation registered itself: a new organisation to "
                "the hub.",
                null=True,
                verbose_name="registered itself on",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnerorganisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("charity_number", ""), _negated=True),
                fields=("hub", "charity_number"),
                name="unique_partner_charity_per_hub",
                violation_error_message="Another organisation of this hub has this charity number.",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnerorganisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("company_number", ""), _negated=True),
                fields=("hub", "company_number"),
                name="unique_partner_company_per_hub",
                violation_error_message="Another organisation of this hub has this company number.",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnerorganisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("school_urn", ""), _negated=True),
                fields=("hub", "school_urn"),
                name="unique_partner_urn_per_hub",
                violation_error_message="Another organisation of this hub has this school URN.",
            ),
        ),
    ]
