"""Contract management's demo data, through the real services on the days the
story gives them (demo.clock):

- Kent: a partnership monitored against KPIs. Swale Youth Concert Band's
  ensembles for Swale secondary schools are drafted with three KPIs
  (participant satisfaction, learning outcomes, participants), signed, and
  reported and rated over two quarters (the first good; the second with
  learning outcomes requiring improvement); the third quarter's review is
  still due, for the partner to give its values.
- Kent keeps its own list of KPI measures; BLMK calls a risk high from 12.
- BLMK: the Luton service lead's risk register on Luton's first live
  partnership: a high risk raised and reviewed with the accepted report, and
  a lower one raised, reviewed and closed.

Idempotent: a hub that has them already is left as it is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agreements import rules_variations as rv
from agreements import variations
from agreements.variation_kpis import CHANGE, KpiChange
from commissioning.models import Commission, TransitionLog
from commissioning.workflow import Stage
from contracts import services as contracts
from contracts.measures import STANDARD
from contracts.models import ContractSettings, KpiMeasure, Rating, Risk
from demo import clock, monitoring_demo, stories
from demo.pipeline import Pipeline
from demo.variations_demo import decide_through, sign_through, variation_route
from monitoring.models import Report, ReportStatus

KENT = stories.Work(
    stage="live",
    need="funded",
    partner="swaleband",
    title="Swale Youth Concert Band: ensembles for Swale secondary schools",
    scope="Weekly wind and brass ensembles in four Swale secondary schools, with a concert "
    "each term, monitored against the KPIs agreed in the contract.",
)
KPIS = [
    ("participant_satisfaction", "Players rating their sessions good or better", 90, "termly"),
    ("learning_outcomes", "Players moving up at least one grade in the year", 75, "annually"),
    ("participants", "Young people in the weekly ensembles", 80, "each_report"),
]
# (values reported, ratings given) for the first two quarters.
QUARTERS = [
    (
        {"participant_satisfaction": 92, "learning_outcomes": 70, "participants": 68},
        {
            "participant_satisfaction": (Rating.GOOD, "Above target in the autumn survey."),
            "learning_outcomes": (Rating.APPROACHING, "On track for the summer exams."),
            "participants": (Rating.APPROACHING, "Twelve places still to fill."),
        },
    ),
    (
        {"participant_satisfaction": 94, "learning_outcomes": 58, "participants": 84},
        {
            "participant_satisfaction": (Rating.GOOD, "Consistently above target."),
            "learning_outcomes": (
                Rating.REQUIRES_IMPROVEMENT,
                "Grade entries fell; an action plan is agreed for the summer term.",
            ),
            "participants": (Rating.GOOD, "Target met with the new Sittingbourne group."),
        },
    ),
]
SIGNED_DAYS_AGO = 190


# Each hub's own choices (the admin's): Kent keeps its own list of measures,
# the standard one and its quality assurance visits; BLMK calls a risk high
# from 12, lower than the usual 15.
MEASURES = {
    "kent": [
        *((m.key, m.label, m.unit) for m in STANDARD),
        ("qa_visits", "Quality assurance visits rated good or better", "% of visits"),
    ]
}
HIGH_RISK_FROM = {"kent": 15, "blmk": 12}


def load(cast: Any) -> None:
    hub = cast.hub
    for position, (key, label, unit) in enumerate(MEASURES.get(hub.slug, []), start=1):
        KpiMeasure.objects.get_or_create(
            hub=hub, key=key, defaults={"label": label, "unit": unit, "position": position}
        )
    if hub.slug in HIGH_RISK_FROM:
        ContractSettings.objects.get_or_create(
            hub=hub, defaults={"high_risk_from": HIGH_RISK_FROM[hub.slug]}
        )
    if hub.slug == "kent":
        _kent(cast)
    elif hub.slug == "blmk":
        _blmk(cast)


def _kent(cast: Any) -> None:
    if Commission.objects.filter(hub=cast.hub, title=KENT.title).exists():
        return
    pipeline = Pipeline(cast)

    def agree_kpis(c: Commission) -> None:
        agreement = c.agreements.get(period_number=1)
        for measure, description, target, frequency in KPIS:
            contracts.kpi_add(
                agreement=agreement,
                user=cast.officer,
                measure=measure,
                description=description,
                target=Decimal(target),
                frequency=frequency,
            )

    steps = [pipeline.identify, pipeline.award, agree_kpis, pipeline.to_approval]
    steps += [pipeline.approve, pipeline.sign]
    need = {KENT.need: stories.need_of(cast.hub, KENT)}
    c = stories.play(pipeline, KENT, steps, Decimal(18000), need, end=SIGNED_DAYS_AGO)
    c = Commission.objects.select_related("hub", "policy", "partner").get(pk=c.pk)
    contact = cast.contacts[c.partner_id]
    reports = Report.objects.filter(commission=c, status=ReportStatus.DUE).order_by("due_on")
    kpis = {k.measure: k for k in c.kpis.all()}
    for report, (values, ratings) in zip(reports[:2], QUARTERS, strict=True):
        days_ago = (clock.today() - report.due_on).days
        clock.set_day(days_ago - 3, hour=14)  # written just after the quarter's end
        contracts.kpi_returns_save(
            report=report,
            user=contact,
            values={kpis[m].pk: (Decimal(v), "") for m, v in values.items()},
        )
        monitoring_demo._write(report, contact, _answers(values["participants"]), Decimal("0.5"))
        clock.set_day(days_ago - 7)
        monitoring_demo._accept(report, cast.officer)
        contracts.kpi_ratings_save(
            report=report,
            user=cast.officer,
            ratings={kpis[m].pk: rating for m, rating in ratings.items()},
        )
    _kpi_variation(cast, c, kpis["participants"])


def _kpi_variation(cast: Any, c: Commission, participants: Any) -> None:
    """A structured KPI variation, signed: the ensembles' places follow the
    school that left (its two quarters' ratings stay with the old target)."""
    agreement = c.agreements.select_related("commission__hub", "commission__policy").get(
        period_number=1
    )
    variation_route(c.policy, "Kent Music Board")
    change = rv.Change(
        reason="One Swale school has left the programme; the places follow the three left.",
        kpis=[KpiChange(CHANGE, participants.pk, target=Decimal(70), frequency="quarterly")],
    )
    variation = variations.variation_propose(agreement=agreement, user=cast.officer, change=change)
    variation = decide_through(variation, cast.officer)
    sign_through(variation, cast.contacts[c.partner_id], cast.officer)


def _answers(participants: int) -> dict:
    return {
        "activities": "Weekly wind and brass ensembles in four Swale secondary schools; a "
        "concert at the end of term in Sittingbourne.",
        "outcomes": "Players rated their sessions highly; grade entries are set out in the KPIs.",
        "challenges": "Rehearsal space at one school during exams.",
        "participants": participants,
        "schools": 4,
        "age_11_15": participants - 12,
        "age_16_18": 12,
        "send": 7,
        "pupil_premium": 18,
    }


def _blmk(cast: Any) -> None:
    if Risk.objects.filter(hub=cast.hub).exists():
        return
    c = (
        Commission.objects.filter(hub=cast.hub, status=Stage.MONITORING, service_area__name="Luton")
        .select_related("hub", "service_area")
        .order_by("reference")
        .first()
    )
    if c is None:
        return
    lead = cast.leads["Luton"]
    signed = TransitionLog.objects.filter(commission=c, action="sign").last()
    since = (clock.today() - timezone.localdate(signed.created_at)).days if signed else 30
    clock.set_day(max(since - 5, 2), hour=10)
    first_review = timezone.localdate() + timedelta(days=30)
    high = contracts.risk_raise(
        commission=c,
        user=lead,
        title="Too few specialist tutors for the new schools",
        description="Two of the tutors the partnership relies on are leaving in the spring.",
        likelihood=4,
        impact=4,
        owner="Luton Music Service's head of ensembles",
        mitigation="Recruit two tutors through the county network; cover from the music "
        "service's own staff meanwhile.",
        review_on=first_review,
    )
    venue = contracts.risk_raise(
        commission=c,
        user=lead,
        title="Venue hire for the Saturday group rises",
        likelihood=2,
        impact=3,
        owner="Luton service lead",
        mitigation="Ask the council for the community rate; a school hall as a fallback.",
        review_on=first_review,
    )
    accepted = (
        Report.objects.filter(commission=c, status=ReportStatus.ACCEPTED).order_by("due_on").first()
    )
    decided = accepted.decided_at if accepted and accepted.decided_at else None
    reviewed = (clock.today() - timezone.localdate(decided)).days if decided else 1
    clock.set_day(max(min(reviewed, since - 6), 1), hour=15)  # after it was raised
    next_review = clock.today() + timedelta(days=14)  # the real day: still to come
    contracts.risk_review(
        risk=high,
        user=lead,
        note="One tutor recruited; the second post is advertised. Still high until filled.",
        likelihood=4,
        impact=4,
        review_on=next_review,
        report=accepted,
    )
    contracts.risk_review(
        risk=venue,
        user=lead,
        note="The council agreed the community rate for the year.",
        likelihood=1,
        impact=3,
        close=True,
        report=accepted,
    )
