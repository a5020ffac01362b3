"""Partner organisations of a hub: who they are, what they bring, and whether
they have become official partners."""

from __future__ import annotations

from django.db import models

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="unique_partner_name_per_hub"),
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
    def is_self_commissioning(self) -> bool:
        """The HLO or a consortium member would be commissioning itself."""
        return self.is_hlo or self.is_consortium_member


# The directory's records: introductory meetings, notes and merges.
from partners.directory.models import IntroductoryMeeting, PartnerMerge, PartnerNote  # noqa: E402, F401

# Partnership types: a list on each policy version.
from partners.types import PolicyPartnershipType  # noqa: E402, F401
