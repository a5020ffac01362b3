"""The tenant (a Music Hub), its commissioning policy, and who holds which role.

Every other model hangs off a Hub. A hub's policy is data set by its admin:
the commission workflow reads it to decide which steps apply and who may take
them, so a new hub is configured, never coded.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from hubs.decision_routes import BoardComment, Decider, RouteSummary  # noqa: F401 (re-exported)
from hubs.policy_life.models import PolicyLife, PolicyStatus  # noqa: F401 (re-exported)


class Hub(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    hlo_name = models.CharField(
        "Hub Lead Organisation", max_length=200, help_text="For example, Kent Music."
    )
    area_description = models.CharField(max_length=300, blank=True)
    org_id = models.CharField(
        "organisation identifier",
        max_length=60,
        blank=True,
        help_text="The HLO's org-id, for example GB-CHC-1234567 (used in 360Giving exports).",
    )
    # Who answers the public's and applicants' questions (the hub's public page).
    enquiries_name = models.CharField("contact for queries", max_length=200, blank=True)
    enquiries_email = models.EmailField("email for queries", blank=True)
    enquiries_phone = models.CharField("telephone for queries", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("run_commissions", "Run commissions across the hub"),
            ("approve_commissions", "Approve partnerships and decommissioning"),
            ("comment_as_board", "Comment on drafts and recommendations as the board"),
            ("decide_terminations", "Decide terminations (chair)"),
            ("configure_hub", "Configure the hub's policy, criteria, areas and members"),
        ]

    def __str__(self) -> str:
        return self.name


class ReportingCadence(models.TextChoices):
    PROGRESS_REPORTS = "progress", "Check-ins and progress reports, with a final evaluation"
    KPI_REVIEWS = "kpi", "Regular reviews against KPIs"
    TERMLY_SURVEYS = "termly", "Termly surveys, project evaluations and case studies"
    BOARD_MONITORING = "board", "Board performance monitoring"


class OfficialPartnerWhen(models.TextChoices):
    """How an organisation becomes an official Hub partner (partners/rules.py)."""

    OFFICER_DECIDES = "officer", "when HLO staff decide"
    AFTER_MEETING = "meeting", "after a successful introductory meeting"
    AFTER_PARTNERSHIP = "partnership", "after its first completed partnership"


class HubPolicy(RouteSummary, PolicyLife, models.Model):
    """One version of a hub's commissioning policy. The newest approved
    version whose date has come is in force (`HubPolicy.objects.in_force()`);
    a newer one may be a draft. Each commission records the version it ran
    under."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="policies")
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200, default="Commissioning policy")
    approved_by = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField("next review due", null=True, blank=True)
    review_arrangements = models.CharField(
        max_length=300, blank=True, help_text="For example, the spring term Hub board meeting."
    )

    # How partners are found.
    existing_partners_first = models.BooleanField(
        default=False,
        help_text="Approach existing partners first; a call needs a recorded reason "
        "(no existing partner fits, or several do).",
    )
    open_call_required = models.BooleanField(
        default=False,
        help_text="Every partnership, the HLO's and consortium members' included, goes "
        "through an open call.",
    )
    responsive_commissioning_allowed = models.BooleanField(
        default=False,
        help_text="Partners may be commissioned ad hoc to meet an emerging priority.",
    )
    eoi_for_needs_gaps = models.BooleanField(
        "expressions of interest for gaps",
        default=False,
        help_text="Where the needs analysis identifies a gap in provision, the HLO invites "
        "expressions of interest: commissions go to a call, never straight to a partner.",
    )
    introductory_meeting_required = models.BooleanField(
        default=False,
        help_text="An organisation must have an introductory meeting with the HLO before "
        "it can become a partner.",
    )
    official_partner_when = models.CharField(
        "an organisation becomes an official Hub partner",
        max_length=20,
        choices=OfficialPartnerWhen.choices,
        default=OfficialPartnerWhen.OFFICER_DECIDES,
        help_text="HLO staff mark an organisation an official Hub partner; this says what "
        "must have happened first.",
    )
    self_commissioning_declaration_required = models.BooleanField(
        default=False,
        help_text="When the HLO or a consortium member is awarded work, a conflict of "
        "interest declaration must be recorded.",
    )
    min_match_funding_percent = models.PositiveSmallIntegerField(
        "minimum match funding (%)",
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="Share of a proposal's cost that must come from sources other than the "
        "Hub Grant.",
    )
    commissioning_by_service_area = models.BooleanField(
        default=False,
        help_text="Each service area (music service) commissions its own partners.",
    )
    uses_service_categories = models.BooleanField(default=False)
    awards_within_allocation = models.BooleanField(
        "refuse awards past the year's allocation",
        default=False,
        help_text="An award may not take the year's Hub grant commitments past the Hub grant "
        "allocated for that year.",
    )
    in_house_reason_required = models.BooleanField(
        "record why the HLO cannot deliver it itself",
        default=False,
        help_text="Before a partner is sought, the officer records why the HLO cannot deliver "
        "the work itself.",
    )

    # Agreements and monitoring.
    agreement_term_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Leave blank when the term is set per agreement.",
    )
    agreement_term_is_academic_year = models.BooleanField(default=False)
    reporting_cadence = models.CharField(
        max_length=20, choices=ReportingCadence.choices, default=ReportingCadence.PROGRESS_REPORTS
    )
    immediate_termination_on_safeguarding = models.BooleanField(
        default=False, help_text="A safeguarding breach ends the partnership at once."
    )

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hub policy"
        verbose_name_plural = "hub policies"
        ordering = ["hub", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "version"], name="unique_policy_version"),
        ]

    def __str__(self) -> str:
        return f"{self.hub} policy v{self.version}"

    def clean(self) -> None:
        errors = {}
        if self.agreement_term_is_academic_year and self.agreement_term_months not in (None, 12):
            errors["agreement_term_months"] = (
                "An academic-year term is twelve months; leave this blank or set 12."
            )
        if self.open_call_required and self.responsive_commissioning_allowed:
            errors["responsive_commissioning_allowed"] = (
                "A policy that requires an open call for every partnership cannot also "
                "allow ad hoc commissioning."
            )
        if self.open_call_required and self.existing_partners_first:
            errors["existing_partners_first"] = (
                "Approaching existing partners first contradicts requiring an open call for "
                "every partnership; choose one."
            )
        if errors:
            raise ValidationError(errors)


class ServiceArea(models.Model):
    """A music service within a consortium hub (BLMK's four) that commissions
    for its own area."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=120)
    local_authority = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["hub", "name"]
        permissions = [("run_commissions_in_area", "Run commissions in this service area")]
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="unique_area_name_per_hub"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.Model):
    """A category of commissioned service, such as Kent's eight."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="service_categories")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["hub", "position", "name"]
        verbose_name_plural = "service categories"
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="unique_category_per_hub"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A weighted criterion proposals are scored against."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percentage weight; a hub's weights add up to 100.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["hub", "position", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="unique_criterion_per_hub"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Role(models.TextChoices):
    HLO_STAFF = "hlo_staff", "HLO staff"
    APPROVER = "approver", "Approver"
    BOARD_MEMBER = "board_member", "Board member"
    SERVICE_LEAD = "service_lead", "Service lead"
    PARTNER_CONTACT = "partner_contact", "Partner contact"
    HUB_ADMIN = "hub_admin", "Hub admin"


class Membership(models.Model):
    """A person's role in one hub. Roles are turned into permissions on the hub
    (or service area) by hubs.services.membership_grant; nothing else grants."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, null=True, blank=True, related_name="members"
    )
    partner = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Director of Music")
    is_chair = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "user", "role"],
                condition=models.Q(service_area__isnull=True, partner__isnull=True),
                name="unique_hub_wide_role",
            ),
            models.UniqueConstraint(
                fields=["hub", "user", "role", "service_area"],
                condition=models.Q(service_area__isnull=False),
                name="unique_area_role",
            ),
            models.UniqueConstraint(
                fields=["hub", "user", "role", "partner"],
                condition=models.Q(partner__isnull=False),
                name="unique_partner_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "hub"], name="membership_user_hub")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.hub}"

    def clean(self) -> None:
        errors = {}
        if self.role == Role.SERVICE_LEAD and not self.service_area_id:
            errors["service_area"] = "A service lead leads one service area: choose it."
        if self.role not in (Role.SERVICE_LEAD, Role.APPROVER) and self.service_area_id:
            errors["service_area"] = (
                "Only a service lead, or an approver for one area, is tied to a service area."
            )
        if self.role == Role.PARTNER_CONTACT and not self.partner_id:
            errors["partner"] = "A partner contact speaks for one organisation: choose it."
        if self.role != Role.PARTNER_CONTACT and self.partner_id:
            errors["partner"] = "Only a partner contact is tied to a partner organisation."
        if self.service_area_id and self.hub_id and self.service_area.hub_id != self.hub_id:
            errors["service_area"] = "That service area belongs to another hub."
        if self.partner_id and self.hub_id and self.partner.hub_id != self.hub_id:
            errors["partner"] = "That organisation is a partner of another hub."
        if self.is_chair and self.role not in (Role.APPROVER, Role.BOARD_MEMBER):
            errors["is_chair"] = "Only an approver or a board member can be the chair."
        if errors:
            raise ValidationError(errors)


# django-guardian's direct foreign-key permission tables: roles are granted on
# the hub or the service area, and access to everything below is derived.
class HubUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Hub, on_delete=models.CASCADE)


class HubGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Hub, on_delete=models.CASCADE)


class ServiceAreaUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ServiceArea, on_delete=models.CASCADE)


class ServiceAreaGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ServiceArea, on_delete=models.CASCADE)


# Decision routes: registered here, declared in their own module.
from hubs.decision_routes import AdvisoryGroup, DecisionRoute, RouteStep  # noqa: E402, F401

# The documents partners read before applying, shown on the hub's public page.
from hubs.documents import HubDocument  # noqa: E402, F401

# Grounds for decommissioning and termination: a list on each policy version.
from hubs.grounds import Ground  # noqa: E402, F401

# The policy's own life: decisions, comments, annual and range reviews.
from hubs.policy_life.models import (  # noqa: E402, F401
    PolicyComment,
    PolicyDecision,
    PolicyReview,
    RangeReview,
)
