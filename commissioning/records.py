"""The commission's record: adding a meeting, a note or a document, and the
history page's one list of the record interleaved with the moves.

`record_add` is the one write: it checks a file by its content
(commissioning/uploads.py), asks `record_refusal` (commissioning/rules/records.py)
and keeps the entry, with the commission's stage at the time. Entries are
never changed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from commissioning.models import Commission, CommissionRecord, RecordKind, TransitionLog
from commissioning.rules.records import record_refusal
from commissioning.uploads import check_upload
from hubs.refusals import Refused, raise_first


def record_add(
    *,
    commission: Commission,
    user: Any,
    kind: str,
    title: str,
    held_on: date | None = None,
    attendees: str = "",
    agreed: str = "",
    body: str = "",
    document: UploadedFile | None = None,
) -> CommissionRecord:
    raise_first(record_refusal(commission, user))  # not theirs to keep: before any file is read
    try:
        checked = check_upload(document) if document is not None else None
    except Refused as refused:
        raise Refused(refused.refusal.at("document")) from None
    with transaction.atomic():
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        locked.hub, locked.service_area = commission.hub, commission.service_area
        raise_first(
            record_refusal(
                locked,
                user,
                kind=kind,
                title=title,
                held_on=held_on,
                attendees=attendees,
                agreed=agreed,
                body=body,
                has_document=checked is not None,
            )
        )
        record = CommissionRecord(
            hub_id=locked.hub_id,
            commission=locked,
            kind=kind,
            title=title.strip(),
            held_on=held_on if kind == RecordKind.MEETING else None,
            attendees=attendees.strip() if kind == RecordKind.MEETING else "",
            agreed=agreed.strip() if kind == RecordKind.MEETING else "",
            body=body.strip(),
            stage=locked.status,
            author=user,
        )
        if checked is not None:
            record.document = checked.file
            record.document_name = checked.original_name
            record.content_type = checked.content_type
            record.size = checked.size
            record.sha256 = checked.sha256
        record.save()
    return record


@dataclass(frozen=True)
class Entry:
    """One line of the history: a move, or an entry of the record."""

    at: datetime
    move: TransitionLog | None = None
    record: CommissionRecord | None = None


def history_of(commission: Commission) -> list[Entry]:
    """The moves and the record, oldest first, in two queries."""
    moves = TransitionLog.objects.filter(commission=commission).select_related("actor")
    records = CommissionRecord.objects.filter(commission=commission).select_related("author")
    entries = [Entry(m.created_at, move=m) for m in moves]
    entries += [Entry(r.created_at, record=r) for r in records]
    return sorted(entries, key=lambda e: e.at)


def record_for(commission: Commission, pk: int) -> CommissionRecord:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CommissionRecord, pk=pk, commission=commission)
