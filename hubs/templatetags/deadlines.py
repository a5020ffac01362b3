"""{% deadline report.due_on %} and {% deadline call.closes_at "closes" "H:i, j M Y" %}:
the date in a <time> element with how urgent it is ("closes in 3 days",
"overdue by 5 days"); an overdue one is marked in words and with the class
`overdue`, never by colour alone. {{ day|deadline_marker:"closes" }} writes a
marker into an email's text, which the outbox turns into words when it sends.
See hubs/deadlines.py."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from hubs.deadlines import deadline_marker, urgency

register = template.Library()


@register.simple_tag
def deadline(value: date | datetime | None, kind: str = "due", fmt: str = "") -> str:
    if not value:
        return ""
    found = urgency(value, kind=kind)
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        shown = date_format(local, fmt or r"H:i \o\n j F Y")
        machine = local.isoformat(timespec="minutes")
    else:
        shown, machine = date_format(value, fmt or "j F Y"), value.isoformat()
    css = "deadline overdue" if found.overdue else "deadline"
    return format_html(
        '<time class="{}" datetime="{}">{} <span class="deadline-words">({})</span></time>',
        css,
        machine,
        shown,
        found.words,
    )


@register.filter
def deadline_words(value: date | datetime | None, kind: str = "due") -> str:
    """Only the words: "due tomorrow"."""
    return urgency(value, kind=kind).words if value else ""


@register.filter(name="deadline_marker")
def marker(value: date | datetime | None, kind: str = "due") -> str:
    """For an email's text: the outbox puts the words in when it sends."""
    if not value:
        return ""
    day = timezone.localtime(value).date() if isinstance(value, datetime) else value
    return deadline_marker(day, kind)
