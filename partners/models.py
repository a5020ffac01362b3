"""Partner organisations of a hub: who they are, what they bring, and whether
they have become official partners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hubs.models import Hub, ServiceArea


class Specialism(models.Model):
    """A specialism shared across hubs (SEND, early years, music technology...)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    CHARITY = "charity", "Charity"
    COMPANY = "company", "Company"
    CIC = "cic", "Community interest company (CIC)"
    LOCAL_AUTHORITY = "local_authority", "Local authority or music service"
    SCHOOL = "school", "School or academy trust"
    HIGHER_EDUCATION = "higher_education", "College or university"
    COMMUNITY = "community", "Community organisation"
    INDIVIDUAL = "individual", "Individual practitioner"


class PartnershipType(models.TextChoices):
    """The standard list's keys (agreements' templates are worded for these
    two). A hub's own list is its policy's (partners/types.py)."""

    DELIVERY = "delivery", "Delivery partner"
    STRATEGIC = "strategic", "Strategic partner"


class Reach(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"


class PartnerOrganisation(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200)
    organisation_type = models.CharField(max_length=30, choices=OrganisationType.choices)
    # A key in the hub's current policy's list of partnership types
    # (partners/types.py), checked by partner_type_refusal, not fixed choices.
    partnership_type = models.CharField(
        max_length=20,
        default=PartnershipType.DELIVERY,
        help_text="One of the types the hub's policy lists.",
    )
    reach = models.CharField(max_length=20, choices=Reach.choices, default=Reach.LOCAL)
    specialisms = models.ManyToManyField(Specialism, blank=True, related_name="partners")
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        help_text="For hubs that commission per service area: the area it mainly serves.",
    )
    is_hlo = models.BooleanField(
        "is the Hub Lead Organisation",
        default=False,
        help_text="The HLO's own delivery arm, when it delivers commissioned work.",
    )
    is_consortium_member = models.BooleanField(default=False)
    introductory_meeting_on = models.DateField(
        "introductory meeting held on", null=True, blank=True
    )
    is_existing_partner = models.BooleanField(
        "official Hub partner",
        default=False,
        help_text="Already a Hub partner (approached first where the policy says so).",
    )
    # A former partner: the hub no longer works with it (partners/rules.py).
    former_on = models.DateField("former partner since", null=True, blank=True)
    former_reason = models.TextField("why it is a former partner", blank=True)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    org_id = models.CharField(
        "organisation identifier",
        max_length=60,
        blank=True,
        help_text="org-id form, e.g. GB-CHC-1234567, GB-COH-01234567 or GB-LAE-HRT.",
    )
    # The profile an organisation gives when it registers itself
    # (partners/registration/); the hub's own records may leave it blank.
    school_urn = models.CharField(
        "school URN", max_length=6, blank=True, help_text="A school's unique reference number."
    )
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.URLField(blank=True)
    phone = models.CharField("phone number", max_length=30, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who registered the organisation themself, from a call or an invitation.",
    )
    registered_at = models.DateTimeField(
        "registered itself on",
        null=True,
        blank=True,
        help_text="Set when the organisation registered itself: a new organisation to the hub.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="unique_partner_name_per_hub"),
            # An identifier names one organisation in a hub (blank ones are many).
            models.UniqueConstraint(
                fields=["hub", "charity_number"],
                condition=~Q(charity_number=""),
                name="unique_partner_charity_per_hub",
                violation_error_message="Another organisation of this hub has this charity number.",
            ),
            models.UniqueConstraint(
                fields=["hub", "company_number"],
                condition=~Q(company_number=""),
                name="unique_partner_company_per_hub",
                violation_error_message="Another organisation of this hub has this company number.",
            ),
            models.UniqueConstraint(
                fields=["hub", "school_urn"],
                condition=~Q(school_urn=""),
                name="unique_partner_urn_per_hub",
                violation_error_message="Another organisation of this hub has this school URN.",
            ),
        ]
        indexes = [
            models.Index(fields=["hub", "is_existing_partner"], name="partner_hub_existing"),
            # The directory's filters (partners/directory/filters.py).
            models.Index(fields=["hub", "partnership_type"], name="partner_hub_type"),
            models.Index(fields=["hub", "organisation_type"], name="partner_hub_org_type"),
            models.Index(fields=["hub", "introductory_meeting_on"], name="partner_hub_meeting"),
            models.Index(fields=["hub", "former_on"], name="partner_hub_former"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_newcomer(self) -> bool:
        """Registered itself and not yet an official Hub partner."""
        return self.registered_at is not None and not self.is_existing_partner

    @property
    def is_self_commissioning(self) -> bool:
        """The HLO or a consortium member would be commissioning itself."""
        return self.is_hlo or self.is_consortium_member


# The directory's records: introductory meetings, notes and merges.
from partners.directory.models import (  # noqa: E402, F401
    ContactPerson,
    IntroductoryMeeting,
    PartnerMerge,
    PartnerNote,
)

# Partnership types: a list on each policy version.
from partners.types import PolicyPartnershipType  # noqa: E402, F401
