"""The gate for adding to a commission's record (a meeting, a note, a
document): `record_refusal` returns the first refusal or None. The service
(commissioning/records.py) raises it; the commission page asks it, without
the input, to decide whether to offer the form. A file is checked by its
content by commissioning/uploads.py before this is asked of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from commissioning.models import RecordKind
from hubs.refusals import Refusal

TEXT_MAX = 5000


def _text(value: str | None, limit: int, field: str) -> Refusal | None:
    if value is not None and len(value.strip()) > limit:
        return Refusal("text_too_long", f"Keep it to {limit:,} characters.", field)
    return None


def record_refusal(
    commission: Any,
    who: Any,
    *,
    kind: str | None = None,
    title: str | None = None,
    held_on: date | None = None,
    attendees: str | None = None,
    agreed: str | None = None,
    body: str | None = None,
    has_document: bool | None = None,
) -> Refusal | None:
    """Who keeps the record (HLO staff running the commission, at any
    stage), and, once typed, what each kind of entry needs."""
    from commissioning.policy import officer_refusal

    refusal = officer_refusal(who, commission, "add to the commission's record")
    if refusal is not None or kind is None:
        return refusal
    if kind not in RecordKind.values:
        return Refusal("record_kind", "Choose a meeting, a note or a document.", "kind")
    if not (title or "").strip():
        return Refusal("title_required", "Give it a title.", "title")
    if kind == RecordKind.MEETING:
        if held_on is None:
            return Refusal("held_on_required", "Give the date the meeting was held.", "held_on")
        if held_on > timezone.localdate():
            return Refusal(
                "held_on_future", "A meeting is recorded once it has been held.", "held_on"
            )
        if not (attendees or "").strip():
            return Refusal("attendees_required", "Say who took part.", "attendees")
        if not (agreed or "").strip():
            return Refusal("agreed_required", "Say what was agreed.", "agreed")
    if kind == RecordKind.NOTE and not (body or "").strip():
        return Refusal("body_required", "Write the note.", "body")
    if kind == RecordKind.DOCUMENT and has_document is False:
        return Refusal("document_required", "Choose the file to attach.", "document")
    for value, field in ((attendees, "attendees"), (agreed, "agreed"), (body, "body")):
        if (refusal := _text(value, TEXT_MAX, field)) is not None:
            return refusal
    return None
