"""Monitoring's demo data: every live (monitoring) commission of a demo hub
has its schedule of reports and one accepted report with progress against
the SMART target (releasing its instalment where the agreement has one at
that milestone). Its next report is, by turns: submitted and waiting for the
officer (always so for the hub's first live commission, the one the guides
use), returned for changes, a draft the partner has saved, or (for the
partnership signed last winter) accepted too, with the one after it overdue.
Each report is written on its day (demo.clock), after the signing.
Idempotent: a commission whose reports have been started is left as it is."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from commissioning.models import Commission, SmartTarget, TransitionLog
from commissioning.workflow import Stage
from demo import clock
from monitoring import services as monitoring
from monitoring.models import Report, ReportStatus

ACCEPTED = {
    "activities": "Weekly inclusive ensemble sessions in four schools and a Saturday "
    "group at the music centre; a sharing concert for families in the last week.",
    "outcomes": "Two new inclusive ensembles; most players now read simple notation.",
    "challenges": "Transport for two special schools; solved with the council's minibus.",
    "case_study": "A Year 8 pupil who uses a switch-controlled instrument led the "
    "opening piece at the sharing concert.",
    "participants": 64,
    "schools": 4,
    "age_5_10": 22,
    "age_11_15": 37,
    "age_16_18": 5,
    "send": 41,
    "pupil_premium": 19,
    "ethnicity_asian": 9,
    "ethnicity_black": 3,  # shown as "fewer than 5"
    "ethnicity_mixed": 6,
    "ethnicity_white": 44,
    "ethnicity_unknown": 2,  # shown as "fewer than 5"
}
SUBMITTED = {
    "activities": "Sessions continued in all four schools; a new group started in Hitchin.",
    "outcomes": "Enrolment up again; three players joined the county inclusive orchestra.",
    "challenges": "One tutor on long-term leave; covered by a colleague.",
    "recommendations": "Keep the Saturday group; add a second tutor for the new schools.",
    "participants": 78,
    "schools": 5,
    "age_5_10": 25,
    "age_11_15": 46,
    "age_16_18": 7,
    "send": 50,
    "pupil_premium": 23,
}


def load(cast: Any) -> None:
    live = Commission.objects.filter(hub=cast.hub, status=Stage.MONITORING).select_related(
        "hub", "policy", "partner", "service_area"
    )
    for n, commission in enumerate(live.order_by("reference")):
        signed = _days_since_signing(commission)
        clock.set_day(max(signed - 1, 0), hour=15)
        monitoring.schedule_create(commission=commission)
        started = Report.objects.filter(commission=commission).exclude(status=ReportStatus.DUE)
        contact = cast.contacts.get(commission.partner_id)
        if started.exists() or contact is None:
            continue
        officer = cast.officer
        if commission.service_area_id:
            officer = cast.leads.get(commission.service_area.name, cast.officer)
        first, second = Report.objects.filter(commission=commission).order_by("due_on")[:2]
        written = max(6, signed - 45)
        clock.set_day(written, hour=14)
        _write(first, contact, ACCEPTED, share=Decimal("0.5"))
        clock.set_day(written - 3)
        _accept(first, officer)
        clock.set_day(max(1, written - 60), hour=16)
        kind = "submitted" if n == 0 else NEXT[n % len(NEXT)]
        if kind == "draft":
            _save(second, contact, SUBMITTED, share=Decimal("0.6"))
            continue
        _write(second, contact, SUBMITTED, share=Decimal("0.75"))
        clock.set_day(max(1, written - 62), hour=17)
        if kind == "returned":
            monitoring.report_return(
                report=second,
                user=officer,
                comments="Please add the numbers for the new group and the case study.",
            )
        elif kind == "accepted":
            _accept(second, officer)


# The state of the next report after the first, for the second, third and
# fourth live commissions (the first keeps a submitted one).
NEXT = ["accepted", "submitted", "returned", "draft"]


def _days_since_signing(commission: Commission) -> int:
    log = TransitionLog.objects.filter(commission=commission, action="sign").last()
    moment = log.created_at if log else timezone.now()
    return (clock.today() - timezone.localdate(moment)).days


def _accept(report: Report, officer: Any) -> None:
    releases = monitoring.releasable_instalments(report)
    monitoring.report_accept(
        report=report,
        user=officer,
        comments="Thank you: a clear report.",
        instalment=next((i for i in releases if i.milestone == "report_accepted"), None),
    )


def _write(report: Report, contact: Any, answers: dict, share: Decimal) -> None:
    """The partner writes and submits; each target `share` of the way there."""
    _save(report, contact, answers, share)
    monitoring.report_submit(report=report, user=contact)


def _save(report: Report, contact: Any, answers: dict, share: Decimal) -> None:
    """The partner writes the report and saves it, not yet submitted."""
    targets = SmartTarget.objects.filter(need_id=report.commission.need_id)
    monitoring.report_save(
        report=report,
        user=contact,
        answers=answers,
        progress={t.pk: (_part_way(t, share), "Enrolled this term") for t in targets},
    )


def _part_way(target: SmartTarget, share: Decimal) -> Decimal:
    return (target.baseline + (target.target_value - target.baseline) * share).quantize(Decimal(1))
