"""Decision routes: who comments on and who decides each kind of decision,
as data on a hub's policy version.

A route is an ordered list of steps for one kind of decision (an award and
its agreement, a renewal, decommissioning, ...), optionally for a band of
Hub-grant values and a service category. A step is a comment by the board or
a named group (required, or advisory: the officer may send it), with a window
in days that closes early once every member has commented; or a decision by
a body (HLO staff, the approvers, a service area's approvers, the board, the
chair, a named group) that needs N of its members. The gate
(commissioning/policy.py) reads the commission's route; hubs/routes.py says
who belongs to a body and writes a route in plain words.

The models are imported into hubs.models, so Django registers them there.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class BoardComment(models.TextChoices):
    REQUIRED = "required", "Required before approval"
    OPTIONAL = "optional", "Advisory: the officer may send it to the board"
    SKIPPED = "skipped", "Not part of this policy"


class Decider(models.TextChoices):
    APPROVERS = "approvers", "The approving body"
    CHAIR = "chair", "The chair"


class DecisionKind(models.TextChoices):
    AWARD = "award", "Awarding a partnership and approving its agreement"
    RESPONSIVE = "responsive", "Responsive (ad hoc) commissioning"
    RENEWAL = "renewal", "Renewing an agreement for a further period"
    NON_RENEWAL = "non_renewal", "Not renewing: letting an agreement lapse"
    DECOMMISSION = "decommission", "Decommissioning a partnership"
    TERMINATION = "termination", "Ending a partnership at once for a safeguarding breach"
    COMPLAINT = "complaint", "Hearing an escalated complaint"
    POLICY = "policy", "Policy approval: approving a new version of the policy"
    VARIATION = "variation", "Varying a signed agreement (scope, term, funding, KPIs)"


# A kind without a route of its own follows another's.
FALLBACK = {
    DecisionKind.RESPONSIVE: DecisionKind.AWARD,
    DecisionKind.RENEWAL: DecisionKind.AWARD,
    DecisionKind.TERMINATION: DecisionKind.DECOMMISSION,
    # A hub without a variation route decides a change as it decided the award.
    DecisionKind.VARIATION: DecisionKind.AWARD,
}


class Body(models.TextChoices):
    OFFICERS = "officers", "HLO staff running the commission"
    APPROVERS = "approvers", "The approvers"
    AREA_APPROVERS = "area_approvers", "The approvers of the commission's service area"
    BOARD = "board", "The board"
    CHAIR = "chair", "The chair"
    GROUP = "group", "A named group (below)"


COMMENTING_BODIES = (Body.BOARD, Body.GROUP)


class StepKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    DECIDE = "decide", "Decide"


class AdvisoryGroup(models.Model):
    """A named group that gives advice or decides where a route asks it: an
    executive committee, a lead schools advisory group."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["hub", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="unique_group_name_per_hub")
        ]

    def __str__(self) -> str:
        return self.name


class DecisionRoute(models.Model):
    policy = models.ForeignKey("hubs.HubPolicy", on_delete=models.CASCADE, related_name="routes")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    from_value = models.DecimalField(
        "Hub grant from (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Leave blank for any value up to the limit; inclusive.",
    )
    below_value = models.DecimalField(
        "Hub grant below (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Leave blank for no upper limit.",
    )
    service_category = models.ForeignKey(
        "hubs.ServiceCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave blank for every category; a category's own route comes first.",
    )

    class Meta:
        ordering = ["policy", "kind", models.F("from_value").asc(nulls_first=True), "pk"]
        indexes = [models.Index(fields=["policy", "kind"], name="route_policy_kind")]

    def __str__(self) -> str:
        from hubs.routes import band_words

        return f"{self.get_kind_display()}{band_words(self)}"

    def clean(self) -> None:
        errors = {}
        low, high = self.from_value, self.below_value
        if low is not None and high is not None and high <= low:
            errors["below_value"] = "The upper limit must be above the lower one."
        category = self.service_category
        if category is not None and self.policy_id and category.hub_id != self.policy.hub_id:
            errors["service_category"] = "That category belongs to another hub."
        if errors:
            raise ValidationError(errors)

    def covers(self, value: Decimal | None) -> bool:
        value = value or Decimal("0")
        low, high = self.from_value, self.below_value
        return (low is None or value >= low) and (high is None or value < high)


class RouteStep(models.Model):
    route = models.ForeignKey(DecisionRoute, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    body = models.CharField(max_length=20, choices=Body.choices)
    group = models.ForeignKey(
        AdvisoryGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the body is named in pages and notices, e.g. 'HMS Executive "
        "Leadership Team'. Blank: its usual name.",
    )
    required = models.BooleanField(
        default=True,
        help_text="A comment step: ticked, the decision waits for it; unticked, it is "
        "advisory and the officer chooses whether to ask.",
    )
    window_days = models.PositiveSmallIntegerField(
        "comment window (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A comment step: it closes early once every member has commented.",
    )
    needed = models.PositiveSmallIntegerField(
        "members needed",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="A decision step: how many of the body's members must agree.",
    )
    separate = models.BooleanField(
        "not the person who submitted it",
        default=True,
        help_text="A decision step: whoever submitted it for decision may not decide it.",
    )

    class Meta:
        ordering = ["route", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.body_name}"

    @property
    def body_name(self) -> str:
        if self.name:
            return self.name
        if self.body == Body.GROUP and self.group_id:
            return self.group.name
        return {
            Body.OFFICERS: "HLO staff",
            Body.APPROVERS: "approvers",
            Body.AREA_APPROVERS: "service area's approvers",
            Body.BOARD: "Hub board",
            Body.CHAIR: "chair",
        }.get(self.body, self.get_body_display())

    def clean(self) -> None:
        errors = {}
        if (self.body == Body.GROUP) != bool(self.group_id):
            errors["group"] = "Choose the named group, and only for 'A named group'."
        if self.kind == StepKind.COMMENT and self.body not in COMMENTING_BODIES:
            errors["body"] = "The board or a named group comments; choose one of them."
        if self.kind == StepKind.COMMENT and self.needed != 1:
            errors["needed"] = "A comment step needs no count of members."
        if self.group_id and self.route_id and self.group.hub_id != self.route.policy.hub_id:
            errors["group"] = "That group belongs to another hub."
        if errors:
            raise ValidationError(errors)


def route_shape_errors(steps: list[RouteStep]) -> list[str]:
    """What is wrong with a route's steps as a whole, in words (the admin
    asks this before it saves a route)."""
    kinds = [s.kind for s in steps]
    errors = []
    if StepKind.DECIDE not in kinds:
        errors.append("A route needs at least one decision step.")
    if kinds.count(StepKind.COMMENT) > 1:
        errors.append("A route has at most one comment step.")
    both = StepKind.COMMENT in kinds and StepKind.DECIDE in kinds
    if both and kinds.index(StepKind.COMMENT) > kinds.index(StepKind.DECIDE):
        errors.append("The comment step comes before the decisions it informs.")
    return errors


class RouteSummary:
    """Mixed into HubPolicy: who comments and decides, summed up from the
    policy's routes as the settings once said it (the route a decision of no
    particular value takes). For pages that sum a policy up; the gate reads
    each commission's own route, for its value and category."""

    def _summary(self, kind: str):
        from hubs.routes import comment_step, decide_steps, route_for

        route = route_for(self, kind)
        return comment_step(route), decide_steps(route)

    @property
    def approving_body(self) -> str:
        _, decide = self._summary("award")
        return decide[0].body_name if decide else ""

    @property
    def board_name(self) -> str:
        for kind in ("award", "decommission"):
            comment, _ = self._summary(kind)
            if comment is not None:
                return comment.body_name
        return "Hub board"

    @property
    def comment_window_days(self) -> int:
        for kind in ("award", "decommission"):
            comment, _ = self._summary(kind)
            if comment is not None:
                return comment.window_days
        return 14

    @property
    def separate_approver(self) -> bool:
        _, decide = self._summary("award")
        return bool(decide) and decide[0].separate

    def _board_comment(self, kind: str) -> str:
        comment, _ = self._summary(kind)
        if comment is None:
            return BoardComment.SKIPPED
        return BoardComment.REQUIRED if comment.required else BoardComment.OPTIONAL

    @property
    def board_comment_on_drafts(self) -> str:
        return self._board_comment("award")

    @property
    def board_comment_on_decommission(self) -> str:
        return self._board_comment("decommission")

    def get_board_comment_on_drafts_display(self) -> str:
        return BoardComment(self.board_comment_on_drafts).label

    def get_board_comment_on_decommission_display(self) -> str:
        return BoardComment(self.board_comment_on_decommission).label

    @property
    def decommission_decided_by(self) -> str:
        _, decide = self._summary("decommission")
        chair = bool(decide) and decide[0].body == "chair"
        return Decider.CHAIR if chair else Decider.APPROVERS
