"""Participant-data summaries for the hub's returns to Arts Council England,
from partners' accepted monitoring reports, with small numbers suppressed.

Reports within a year are cumulative (each gives the partnership's figures
to date), so a partnership counts once a year, with its latest accepted
report; summing every termly report would count the same children again.
Totals pass through monitoring.suppression.summary: a total from 1 to 4 is
shown as "fewer than 5", and a total that, beside the export of reports,
would give away a figure hidden there is held back (its rule 3)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F

from hubs.models import Hub
from monitoring.models import Report, ReportStatus
from monitoring.suppression import PARTICIPANT_FIELD_NAMES, PARTICIPANT_FIELDS, summary

CHUNK = 500


def latest_accepted_by_year(hub: Hub) -> dict[str, list[Report]]:
    """Per academic year (of the needs analysis), each partnership's latest
    accepted report. One query, read in chunks."""
    reports = (
        Report.objects.filter(hub=hub, status=ReportStatus.ACCEPTED)
        .annotate(cycle=F("commission__need__analysis__cycle"))
        .only("commission", "due_on", *PARTICIPANT_FIELD_NAMES)
        .order_by("commission_id", "-due_on", "-pk")
    )
    latest: dict[int, Report] = {}
    for report in reports.iterator(chunk_size=CHUNK):
        latest.setdefault(report.commission_id, report)
    years: dict[str, list[Report]] = {}
    for report in latest.values():
        years.setdefault(report.cycle, []).append(report)
    return years


def summary_rows(hub: Hub) -> Iterator[list]:
    yield ["Academic year", "Group", "Measure", "Total", "Partnerships reporting"]
    for year, reports in sorted(latest_accepted_by_year(hub).items(), reverse=True):
        shown = summary(reports)
        for name, label, group in PARTICIPANT_FIELDS:
            reporting = sum(1 for r in reports if getattr(r, name) is not None)
            yield [year, group, label, shown[name], reporting]
