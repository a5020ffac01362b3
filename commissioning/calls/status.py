"""Where a call is in its life, in words, worked out in one place.

not yet open → open → closed → being scored → decided. The call's hub page,
its public page and the commission page all read `call_status(...)`, so no two
pages can disagree about whether a call is open. A call past its deadline is
closed even before the five-minute sweep (closing.py) has stamped it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from commissioning.calls.common import when
from commissioning.models import Call, CallChange, PanelMember, ProposalStatus, Score
from commissioning.workflow import Stage

NOT_YET_OPEN, OPEN, CLOSED = "not_yet_open", "open", "closed"
SCORING, DECIDED = "scoring", "decided"
WORDS = {
    NOT_YET_OPEN: "Not yet open",
    OPEN: "Open",
    CLOSED: "Closed",
    SCORING: "Closed: being scored",
    DECIDED: "Decided",
}


@dataclass(frozen=True)
class CallStatus:
    phase: str
    submitted: int  # expressions of interest submitted (withdrawn ones not counted)
    drafts: int | None  # drafts started; only for the hub's staff, None for anyone else
    deadline: datetime
    next_step: str
    next_url: str = ""
    next_label: str = ""
    last_change: CallChange | None = None

    @property
    def words(self) -> str:
        return WORDS[self.phase]

    @property
    def is_open(self) -> bool:
        return self.phase == OPEN


def phase_of(call: Call, *, scoring_started: bool = False, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if call.commission.status != Stage.IDENTIFY:
        return DECIDED
    if call.opens_at > now:
        return NOT_YET_OPEN
    if call.closed_at is None and call.closes_at > now:
        return OPEN
    return SCORING if scoring_started else CLOSED


def _counts(call: Call) -> dict:
    """The counts and whether scoring has begun, in one query."""
    panel = PanelMember.objects.filter(call=OuterRef("pk"))
    scores = Score.objects.filter(proposal__call=OuterRef("pk"))
    live = [ProposalStatus.SUBMITTED, ProposalStatus.SUCCESSFUL, ProposalStatus.UNSUCCESSFUL]
    return (
        Call.objects.filter(pk=call.pk)
        .annotate(
            submitted=Count("proposals", filter=Q(proposals__status__in=live)),
            drafts=Count("proposals", filter=Q(proposals__status=ProposalStatus.DRAFT)),
            seated=Exists(panel),
            scored=Exists(scores),
        )
        .values("submitted", "drafts", "seated", "scored")
        .get()
    )


def call_status(call: Call, *, staff: bool, now: datetime | None = None) -> CallStatus:
    """The call's status for a reader: `staff` (those who run its commission)
    see the drafts started and are led to scoring and results; the rest are
    told only what an applicant may know. Two queries, however many
    expressions of interest or changes the call has."""
    now = now or timezone.now()
    counts = _counts(call)
    phase = phase_of(call, scoring_started=counts["seated"] or counts["scored"], now=now)
    last_change = CallChange.objects.filter(call=call).order_by("-created_at", "-pk").first()
    slug = call.hub.slug
    step, url, label = _next_step(call, phase, staff=staff, slug=slug)
    return CallStatus(
        phase=phase,
        submitted=counts["submitted"],
        drafts=counts["drafts"] if staff else None,
        deadline=call.closes_at,
        next_step=step,
        next_url=url,
        next_label=label,
        last_change=last_change,
    )


def _next_step(call: Call, phase: str, *, staff: bool, slug: str) -> tuple[str, str, str]:
    if phase == NOT_YET_OPEN:
        return ("The call opens for expressions of interest on its opening date.", "", "")
    if phase == OPEN:
        return (
            f"The call is open until {when(call.closes_at)}: expressions of interest are "
            "received until then, and scoring starts once it has closed.",
            "",
            "",
        )
    if not staff:
        if phase == DECIDED:
            return ("The Hub has made its decision; applicants have been told the outcome.", "", "")
        return ("The call has closed; the Hub is reading the expressions of interest.", "", "")
    overview = reverse("scoring:overview", args=[slug, call.pk])
    results = reverse("scoring:results", args=[slug, call.pk])
    if phase == CLOSED:
        return ("Seat a scoring panel and score the expressions of interest.", overview, "Scoring")
    if phase == SCORING:
        return (
            "Finish scoring and moderation, then award from the results.",
            results,
            "Results and award",
        )
    return ("The award has been made.", results, "Results")
