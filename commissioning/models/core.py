"""Needs analyses, the commissions they justify, proposals, and the log."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from commissioning.workflow import ACTIONS, CommissionWorkflow, Stage
from hubs.grounds import POSITIVE_GROUNDS, DecommissionGrounds, ground_label  # noqa: F401 (re-exported)
from hubs.models import Hub, HubPolicy, ServiceArea, ServiceCategory
from partners.models import PartnerOrganisation


class Stakeholder(models.TextChoices):
    SCHOOLS = "schools", "Schools"
    COMMUNITY = "community", "Community organisations"
    YOUNG_PEOPLE = "young_people", "Young people"
    PARENTS = "parents", "Parents and carers"
    ACE = "ace", "Arts Council England"
    DFE = "dfe", "Department for Education"


class NeedsAnalysis(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="needs_analyses")
    cycle = models.CharField(max_length=20, help_text="Academic year, e.g. 2025/26.")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    stakeholders_consulted = models.JSONField(default=list, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "needs analyses"
        ordering = ["hub", "-cycle", "title"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "cycle", "title"], name="unique_analysis"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.cycle})"


class Need(models.Model):
    """A gap found by a needs analysis; it justifies commissions."""

    class Priority(models.IntegerChoices):
        HIGH = 1, "High"
        MEDIUM = 2, "Medium"
        LOW = 3, "Low"

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="needs")
    analysis = models.ForeignKey(NeedsAnalysis, on_delete=models.CASCADE, related_name="needs")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="needs"
    )

    class Meta:
        ordering = ["hub", "priority", "title"]
        indexes = [models.Index(fields=["hub", "priority"], name="need_hub_priority")]

    def __str__(self) -> str:
        return self.title


class SmartTarget(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField("specific target", max_length=300)
    measure = models.CharField("measured by", max_length=200)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    due_on = models.DateField("achieved by")

    class Meta:
        ordering = ["need", "due_on"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        measurable = self.target_value is not None and self.baseline is not None
        if measurable and self.target_value == self.baseline:
            raise ValidationError(
                {"target_value": "A target must differ from its baseline to be measurable."}
            )


class Route(models.TextChoices):
    EXISTING_PARTNER = "existing_partner", "Approach an existing partner"
    OPEN_CALL = "open_call", "Open call for proposals / expressions of interest"
    RESPONSIVE = "responsive", "Responsive (ad hoc) commissioning"


class FundingStream(models.TextChoices):
    """The two grants a hub holds: revenue, and capital (Kent buys musical
    instruments from the capital grant). Kept apart on every payment."""

    REVENUE = "revenue", "Revenue"
    CAPITAL = "capital", "Capital"


class Commission(CommissionWorkflow):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="commissions")
    policy = models.ForeignKey(
        HubPolicy,
        on_delete=models.PROTECT,
        related_name="commissions",
        help_text="The policy version this commission runs under.",
    )
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="commissions")
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="commissions"
    )
    service_category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissions",
    )
    route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    route_reason = models.TextField(blank=True)
    in_house_reason = models.TextField("why the HLO cannot deliver this itself", blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissions",
    )
    awarded_proposal = models.ForeignKey(
        "Proposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conflict_declaration = models.TextField(blank=True)
    hub_grant_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    # The part of the Hub grant (above, the total) paid from the capital grant;
    # the rest is revenue. Set on the agreement's payments page, changed by a variation.
    hub_grant_capital = models.DecimalField(
        "of which capital", max_digits=12, decimal_places=2, default=Decimal(0)
    )
    match_funding_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    board_comment_closes_at = models.DateTimeField(null=True, blank=True)
    submitted_for_approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A key in the policy's list of grounds (hubs/grounds.py).
    decommission_grounds = models.CharField(max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "reference"], name="unique_commission_ref"),
            models.CheckConstraint(
                condition=models.Q(hub_grant_capital__gte=0)
                & models.Q(hub_grant_capital__lte=models.F("hub_grant_amount")),
                name="commission_capital_within_grant",
            ),
        ]
        indexes = [
            models.Index(fields=["hub", "status"], name="commission_hub_stage"),
            models.Index(fields=["hub", "service_area", "status"], name="commission_area_stage"),
            models.Index(fields=["partner", "status"], name="commission_partner_stage"),
            # The reminder sweep, across every hub: waiting at a stage since, and
            # board comment windows closing.
            models.Index(fields=["status", "stage_entered_at"], name="commission_stage_since"),
            models.Index(
                fields=["status", "board_comment_closes_at"], name="commission_stage_window"
            ),
            # The list's filters and sorts (commissioning/filters.py); the search
            # index is PostgreSQL's alone (migration 0012_c_search).
            models.Index(fields=["hub", "service_category"], name="commission_hub_category"),
            models.Index(fields=["hub", "hub_grant_amount"], name="commission_hub_grant"),
            models.Index(fields=["hub", "title"], name="commission_hub_title"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_decommission_grounds_display(self) -> str:
        return ground_label(self.policy, self.decommission_grounds)

    @property
    def stage(self) -> Stage:
        return Stage(self.status)

    @property
    def hub_grant_revenue(self) -> Decimal:
        return self.hub_grant_amount - self.hub_grant_capital


def _per(cost: Decimal, units: int | None) -> Decimal | None:
    """Cost per unit to the penny (as contracts.value.per); None for no units."""
    if not units:
        return None
    return (cost / units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUCCESSFUL = "successful", "Successful"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"


class Proposal(models.Model):
    """A partner's proposal or expression of interest for a commission, with
    the outline budget the policy checks."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="proposals")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="proposals")
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="proposals"
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    call = models.ForeignKey(
        "commissioning.Call",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    delivery_outline = models.TextField(
        "how you will deliver it", blank=True, help_text="What, where, when, and for whom."
    )
    quality_and_inclusion = models.TextField(
        "quality and inclusion",
        blank=True,
        help_text="How the work meets the Hub's quality and inclusion frameworks.",
    )
    total_cost = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    hub_grant_requested = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    other_funding = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    in_kind = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    # The reach the proposal plans, for its cost per participant when scored.
    planned_participants = models.PositiveIntegerField(
        "children and young people you plan to reach",
        null=True,
        blank=True,
        help_text="How many will take part, in total. The Hub compares the cost per participant.",
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    feedback = models.TextField(blank=True, help_text="Sent to the partner with the outcome.")
    # One more at every save from the form (hubs/drafts.py): the page sends the
    # number it was loaded with, so a late autosave carrying older answers is
    # refused instead of writing over newer ones.
    draft_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["commission", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "partner"], name="one_proposal_each"),
        ]
        indexes = [
            models.Index(fields=["hub", "status"], name="proposal_hub_status"),
            models.Index(fields=["partner", "status"], name="proposal_partner_status"),
            models.Index(fields=["call", "status"], name="proposal_call_status"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} for {self.commission.reference}"

    @property
    def match_funding_percent(self) -> Decimal:
        """Share of the cost from sources other than the Hub Grant."""
        if not self.total_cost:
            return Decimal(0)
        other = self.total_cost - self.hub_grant_requested
        return (other * 100 / self.total_cost).quantize(Decimal("0.1"))

    @property
    def grant_per_planned_participant(self) -> Decimal | None:
        """The Hub Grant asked for per child or young person it plans to reach."""
        return _per(self.hub_grant_requested, self.planned_participants)

    @property
    def cost_per_planned_participant(self) -> Decimal | None:
        return _per(self.total_cost, self.planned_participants)

    def clean(self) -> None:
        errors = {}
        if self.total_cost is not None and self.total_cost <= 0:
            errors["total_cost"] = "The total cost must be more than £0."
        parts = (self.hub_grant_requested, self.other_funding, self.in_kind)
        if None not in parts and self.total_cost is not None and sum(parts) != self.total_cost:
            errors["total_cost"] = (
                f"The funding sources add up to £{sum(parts):,.2f} but the total cost is "
                f"£{self.total_cost:,.2f}; they must match."
            )
        if errors:
            raise ValidationError(errors)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The transition log is append-only; entries cannot be changed.")

    def delete(self):
        raise PermissionError("The transition log is append-only; entries cannot be deleted.")


class TransitionLog(models.Model):
    """Who moved a commission, when, from where to where, and why. Entries are
    written once and never changed (on PostgreSQL a trigger enforces it too)."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    from_stage = models.CharField(max_length=40, blank=True)
    to_stage = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "created_at", "pk"]
        indexes = [
            models.Index(fields=["commission", "created_at"], name="log_commission_time"),
            models.Index(fields=["hub", "created_at"], name="log_hub_time"),
            # What was sent to the board (commissioning.selectors._visibility).
            models.Index(fields=["hub", "to_stage", "commission"], name="log_hub_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.commission_id}: {self.from_stage or '—'} → {self.to_stage}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The transition log is append-only; entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The transition log is append-only; entries cannot be deleted.")

    @property
    def action_label(self) -> str:
        return ACTIONS[self.action].label if self.action in ACTIONS else "Opened"

    @property
    def from_label(self) -> str:
        return Stage(self.from_stage).label if self.from_stage else "-"

    @property
    def to_label(self) -> str:
        return Stage(self.to_stage).label
