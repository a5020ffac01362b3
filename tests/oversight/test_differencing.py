"""The differencing attack on every page and file that shows participant
counts: read what is shown, and for every hidden figure try to work it out as
(shown total - the shown figures beside it), within a page or file and across
the export of reports and the hub's summary for the same year. Nothing may
come out. Pages that show no participant counts are checked to show none."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from monitoring.models import Report, ReportKind, ReportStatus
from monitoring.suppression import HELD_BACK, PARTICIPANT_FIELDS, SUPPRESSED
from oversight.services import board_pack_content
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

LABEL = {name: label for name, label, _ in PARTICIPANT_FIELDS}
AGES = [n for n, _, g in PARTICIPANT_FIELDS if g == "Age band"]
ETHNIC = [n for n, _, g in PARTICIPANT_FIELDS if g == "Ethnic group"]
# What a reader can check adds up: the age bands, and the ethnic groups, to Participants.
SUMS = [("participants", AGES), ("participants", ETHNIC)]
YEAR = "2025/26"

FIGURES = [
    # The audit's page: Participants 23, bands 0, fewer than 5, 20, 0, 0.
    {
        "participants": 23,
        "schools": 2,
        "age_under_5": 0,
        "age_5_10": 3,
        "age_11_15": 20,
        "age_16_18": 0,
        "age_19_25": 0,
        "send": 3,
        "pupil_premium": 8,
        "ethnicity_asian": 3,
        "ethnicity_white": 20,
        "ethnicity_black": 0,
    },
    # Small hidden figure beside a figure of exactly 5: 6 = 1 + 5 would give both away.
    {
        "participants": 36,
        "schools": 5,
        "age_under_5": 1,
        "age_5_10": 5,
        "age_11_15": 30,
        "age_16_18": 0,
        "age_19_25": 0,
        "send": 6,
        "pupil_premium": 2,
        "ethnicity_asian": 0,
        "ethnicity_white": 31,
        "ethnicity_black": 5,
    },
]


@pytest.fixture
def leics(build, pipeline):
    cast = build("leics")
    pipeline(cast).run()
    # The demo's own accepted reports (the completed partnership's final
    # evaluation) are set aside: each test accepts its own.
    Report.objects.filter(hub=cast.hub, status=ReportStatus.ACCEPTED).update(
        status=ReportStatus.SUBMITTED
    )
    live = Commission.objects.filter(
        hub=cast.hub, status__in=[Stage.MONITORING, Stage.COMPLETED], need__analysis__cycle=YEAR
    ).order_by("pk")
    assert live.count() >= len(FIGURES)
    cast.reports = [
        Report.objects.create(
            hub=cast.hub,
            commission=commission,
            kind=ReportKind.TERMLY_SURVEY,
            title="Spring term",
            due_on=date(2026, 4, 1),
            status=ReportStatus.ACCEPTED,
            submitted_at=timezone.now(),
            **figures,
        )
        for commission, figures in zip(live, FIGURES, strict=False)
    ]
    return cast


def _hidden(text: str) -> bool:
    return text in (SUPPRESSED, HELD_BACK)


DASH = "\u2013"  # the page's mark for a missing count


def _number(text: str) -> int:
    return 0 if text in ("", DASH) else int(text)


def _bounds(text: str) -> tuple[int, float]:
    if text == SUPPRESSED:
        return 1, 4
    if text == HELD_BACK:
        return 5, float("inf")
    return _number(text), _number(text)


def attack(total: str, parts: dict, truth: dict) -> list[str]:
    """What one sum gives away: a hidden figure equal to (total - the shown
    figures beside it), or pinned to one number by the shown bounds."""
    found = []
    if _hidden(total):
        return found
    for key, text in parts.items():
        if not _hidden(text):
            continue
        others = [t for k, t in parts.items() if k != key]
        if not any(_hidden(t) for t in others):
            derived = _number(total) - sum(_number(t) for t in others)
            if derived == truth[key]:
                found.append(f"{key} = {derived}")
        low = _number(total) - sum(_bounds(t)[1] for t in others)
        high = _number(total) - sum(_bounds(t)[0] for t in others)
        lo, hi = max(low, _bounds(text)[0]), min(high, _bounds(text)[1])
        if lo == hi == truth[key]:
            found.append(f"{key} pinned to {lo}")
    return found


def attack_table(shown: dict, truth: dict) -> list[str]:
    return [
        hit
        for total, parts in SUMS
        for hit in attack(shown[total], {p: shown[p] for p in parts}, truth)
    ]


def _report_page(client, report) -> dict:
    html = client.get(reverse("monitoring:report", args=["leics", report.pk])).content.decode()
    table = html[html.index('id="participants-heading"') :]
    table = table[: table.index("</table>")]
    cells = dict(re.findall(r'<th scope="row">(.*?)</th><td class="num">(.*?)</td>', table))
    return {name: cells[label].replace(DASH, "") for name, label in LABEL.items()}


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    body = getattr(response, "streaming_content", None)
    text = b"".join(body).decode() if body is not None else response.content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def _per_report(client) -> dict[str, dict]:
    rows = _csv(client.get(reverse("monitoring:report_export", args=["leics"])))
    return {row["Commission"]: {n: row[LABEL[n]] for n in LABEL} for row in rows}


def _summary(client) -> dict:
    rows = _csv(client.get(reverse("oversight:export", args=["leics", "participants"])))
    return {
        name: next(r["Total"] for r in rows if r["Measure"] == label and r["Academic year"] == YEAR)
        for name, label in LABEL.items()
    }


def test_no_hidden_figure_can_be_worked_out_on_a_report_page(client, leics):
    sign_in(client, leics.officer)
    for report in leics.reports:
        shown = _report_page(client, report)
        truth = {n: getattr(report, n) for n in LABEL}
        assert any(_hidden(t) for t in shown.values())  # the attack has something to find
        assert attack_table(shown, truth) == []
        assert shown["participants"] == str(report.participants)  # totals stay shown


def test_no_hidden_figure_can_be_worked_out_from_the_export_of_reports(client, leics):
    sign_in(client, leics.officer)
    rows = _per_report(client)
    for report in leics.reports:
        shown = rows[report.commission.reference]
        assert shown == _report_page(client, report)  # the page and the file agree
        assert attack_table(shown, {n: getattr(report, n) for n in LABEL}) == []


def test_no_hidden_figure_can_be_worked_out_from_the_summary_or_across_the_files(client, leics):
    sign_in(client, leics.officer)
    rows = _per_report(client)
    hub = _summary(client)
    reports = {r.commission.reference: r for r in leics.reports}
    hub_truth = {n: sum(getattr(r, n) or 0 for r in leics.reports) for n in LABEL}
    assert attack_table(hub, hub_truth) == []
    # Each summary total is the sum of the reports' figures the export lists.
    for name in LABEL:
        parts = {ref: rows[ref][name] for ref in reports}
        truth = {ref: getattr(r, name) for ref, r in reports.items()}
        assert attack(hub[name], parts, truth) == [], name
    # Combined: a report's hidden band recovered from the summary, then used on
    # the report's own sum, must not work either.
    for ref, report in reports.items():
        for _, group in SUMS:
            for name in group:
                if not _hidden(rows[ref][name]) or _hidden(hub[name]):
                    continue
                others = [_number(rows[o][name]) for o in reports if o != ref]
                if any(_hidden(rows[o][name]) for o in reports if o != ref):
                    continue
                assert _number(hub[name]) - sum(others) != getattr(report, name)


def test_the_audit_case_shows_a_second_band_withheld(client, leics):
    sign_in(client, leics.officer)
    shown = _report_page(client, leics.reports[0])
    assert [shown[n] for n in AGES] == ["0", SUPPRESSED, HELD_BACK, "0", "0"]
    assert shown["participants"] == "23"


def test_pages_without_participant_counts_show_none(client, leics):
    """The partnership page, the dashboard and the board pack show no
    participant counts, so they give nothing to subtract."""
    commission = leics.reports[0].commission
    sign_in(client, leics.officer)
    pages = [
        client.get(reverse("monitoring:partnership", args=["leics", commission.reference])),
        client.get(reverse("oversight:dashboard", args=["leics"]) + f"?year={YEAR}"),
    ]
    texts = [page.content.decode() for page in pages]
    context = board_pack_content(leics.hub, leics.officer)
    pack = {"meeting_on": timezone.localdate() + timedelta(days=7)}
    texts.append(render_to_string("oversight/board_pack_pdf.html", context | {"pack": pack}))
    for text in texts:
        for label in (SUPPRESSED, HELD_BACK, "11 to 15", "Asian or Asian"):
            assert label not in text
