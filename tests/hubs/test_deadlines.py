"""Deadlines in words (hubs/deadlines.py): today, tomorrow, one day and
several, past; counted in Europe/London, so the day turns at local midnight
(in summer time too); the page's <time> element with its overdue mark; and
the email markers worked out when sent, not when queued."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from hubs.deadlines import deadline_marker, expand_deadlines, urgency

LONDON = ZoneInfo("Europe/London")
# 10:00 on Tuesday 3 March 2026 in London (GMT).
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("offset", "due", "closes"),
    [
        (0, "due today", "closes today"),
        (1, "due tomorrow", "closes tomorrow"),
        (2, "due in 2 days", "closes in 2 days"),
        (3, "due in 3 days", "closes in 3 days"),
        (40, "due in 40 days", "closes in 40 days"),
        (-1, "overdue by 1 day", "closed yesterday"),
        (-5, "overdue by 5 days", "closed 5 days ago"),
    ],
)
def test_a_date_in_words(offset, due, closes):
    day = TODAY + timedelta(days=offset)
    assert urgency(day, kind="due", now=NOW).words == due
    assert urgency(day, kind="closes", now=NOW).words == closes


def test_an_agreement_ends():
    assert urgency(TODAY + timedelta(days=9), kind="ends", now=NOW).words == "ends in 9 days"
    assert urgency(TODAY - timedelta(days=1), kind="ends", now=NOW).words == "ended yesterday"
    assert not urgency(TODAY - timedelta(days=1), kind="ends", now=NOW).overdue


def test_only_a_past_due_date_is_overdue():
    assert urgency(TODAY - timedelta(days=1), now=NOW).overdue
    assert not urgency(TODAY, now=NOW).overdue  # due today is not late yet
    assert not urgency(TODAY - timedelta(days=3), kind="closes", now=NOW).overdue
    assert urgency(TODAY - timedelta(days=3), kind="closes", now=NOW).passed


def test_a_closing_time_passes_at_its_moment():
    at_noon = datetime(2026, 3, 3, 12, 0, tzinfo=LONDON)
    assert urgency(at_noon, kind="closes", now=NOW).words == "closes today"
    assert urgency(at_noon, kind="closes", now=NOW + timedelta(hours=3)).words == "closed today"
    assert urgency(at_noon, kind="due", now=NOW + timedelta(hours=3)).words == (
        "overdue since earlier today"
    )


def test_days_turn_at_midnight_in_london_not_utc():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): 1 July is today.
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert urgency(date(2026, 7, 1), now=late).words == "due today"
    assert urgency(date(2026, 6, 30), now=late).words == "overdue by 1 day"
    # A call closing at 09:00 London time on 2 July is tomorrow.
    closes = datetime(2026, 7, 2, 8, 0, tzinfo=UTC)
    assert urgency(closes, kind="closes", now=late).words == "closes tomorrow"


def test_an_unknown_kind_is_a_mistake():
    with pytest.raises(ValueError):
        urgency(TODAY, kind="soon", now=NOW)


def _render(source: str, **context) -> str:
    return Template("{% load deadlines %}" + source).render(Context(context))


def test_the_tag_gives_a_time_element_with_an_overdue_mark():
    today = timezone.localdate()
    html = _render("{% deadline d %}", d=today - timedelta(days=5))
    assert f'datetime="{(today - timedelta(days=5)).isoformat()}"' in html
    assert 'class="deadline overdue"' in html and "(overdue by 5 days)" in html
    html = _render('{% deadline d "closes" "j M Y" %}', d=today + timedelta(days=3))
    assert 'class="deadline"' in html and "(closes in 3 days)" in html
    assert _render("{% deadline d %}", d=None) == ""


def test_the_tag_shows_a_moment_in_london_time():
    moment = datetime(2030, 7, 1, 11, 0, tzinfo=UTC)  # 12:00 in London, BST
    html = _render('{% deadline d "closes" %}', d=moment)
    assert 'datetime="2030-07-01T12:00+01:00"' in html and "12:00 on 1 July 2030" in html


def test_email_markers_are_worked_out_when_sent():
    body = f"Your report is due on {deadline_marker(date(2026, 3, 5))}."
    queued = expand_deadlines(body, now=NOW)
    sent_a_day_later = expand_deadlines(body, now=NOW + timedelta(days=1))
    assert queued == "Your report is due on 5 March 2026 (due in 2 days)."
    assert sent_a_day_later == "Your report is due on 5 March 2026 (due tomorrow)."
    closing = deadline_marker(date(2026, 3, 3), "closes")
    assert expand_deadlines(closing, now=NOW) == "3 March 2026 (closes today)"
    assert expand_deadlines("No [[deadline soon 2026-03-03]] here", now=NOW) == (
        "No [[deadline soon 2026-03-03]] here"
    )
