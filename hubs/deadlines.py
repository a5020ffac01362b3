"""How urgent a deadline is, in words: "closes in 3 days", "due tomorrow",
"overdue by 5 days".

One pure function, `urgency(deadline, kind=, now=)`, counts whole days in the
hub's time (Europe/London, settings.TIME_ZONE), so "tomorrow" turns at local
midnight whatever the server's clock says. Pages show it through the
`{% deadline %}` tag (hubs/templatetags/deadlines.py); emails through
`deadline_marker`, a token the outbox turns into words when it sends
(`expand_deadlines`), so a reminder queued on Monday and sent on Tuesday does
not say Monday's "due tomorrow".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

# What a deadline is for: words for the future, for today, and for the past.
KINDS = ("due", "closes", "ends")
PAST = {"closes": "closed", "ends": "ended"}


@dataclass(frozen=True)
class Urgency:
    words: str  # "due in 3 days"
    days: int  # whole days from today to the deadline; negative once past
    overdue: bool  # a "due" deadline that has passed (shown with a mark, not colour alone)
    passed: bool


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def urgency(
    deadline: date | datetime, *, kind: str = "due", now: datetime | None = None
) -> Urgency:
    """How far off `deadline` is, in words. A date is met at the end of that
    day; a moment (a call's closing time) at that moment."""
    if kind not in KINDS:
        raise ValueError(f"A deadline is one of {KINDS}, not {kind!r}.")
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    if isinstance(deadline, datetime):
        day = timezone.localtime(deadline).date()
        passed = deadline <= now
    else:
        day = deadline
        passed = day < today
    days = (day - today).days
    if not passed:
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {_days(days)}"
        return Urgency(f"{kind} {when}", days, overdue=False, passed=False)
    ago = -days
    if kind in PAST:
        when = "today" if ago == 0 else "yesterday" if ago == 1 else f"{_days(ago)} ago"
        return Urgency(f"{PAST[kind]} {when}", days, overdue=False, passed=True)
    words = "overdue since earlier today" if ago == 0 else f"overdue by {_days(ago)}"
    return Urgency(words, days, overdue=True, passed=True)


# ── in emails: words worked out when the email is sent ──────────────────────

_MARKER = re.compile(r"\[\[deadline (due|closes|ends) (\d{4}-\d{2}-\d{2})\]\]")


def deadline_marker(day: date, kind: str = "due") -> str:
    """A token for an email's text: "3 March 2026 (due in 3 days)" once sent."""
    if kind not in KINDS:
        raise ValueError(f"A deadline is one of {KINDS}, not {kind!r}.")
    return f"[[deadline {kind} {day.isoformat()}]]"


def expand_deadlines(text: str, *, now: datetime | None = None) -> str:
    """Every marker in `text` as the date and its urgency now."""

    def words(match: re.Match) -> str:
        day = date.fromisoformat(match.group(2))
        found = urgency(day, kind=match.group(1), now=now)
        return f"{date_format(day, 'j F Y')} ({found.words})"

    return _MARKER.sub(words, text)
