"""Reads of agreements, scoped to the reader's standing in the hub.

A view first gets the commission through commissioning.selectors
(`commission_for`), then the agreement here: an agreement this person may
not see is a 404, like any other object they may not see.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from agreements.models import Agreement, AgreementStatus, AgreementVersion, BoardComment
from agreements.rules import agreements_read
from commissioning.joint import co_applicants
from commissioning.models import CommissionPartner
from hubs.access import HubAccess

A = AgreementStatus
SIGNING = [A.ISSUED, A.PARTNER_SIGNED, A.SIGNED]
BEFORE_THE_BOARD = [A.BOARD_COMMENT, A.APPROVAL]


def is_internal(access: HubAccess) -> bool:
    """HLO staff, service leads, approvers, hub admins and the board see the
    drafting record: versions, board comments, decisions."""
    return access.sees_everything or access.is_officer or access.is_board


def may_see(access: HubAccess, agreement: Agreement) -> bool:
    if access.sees_everything or access.is_officer:
        return True  # commission_for already kept a service lead to their area
    if access.is_board and (
        agreement.status in SIGNING
        or (agreement.status in BEFORE_THE_BOARD and agreement.board_comment_closes_at)
    ):
        return True
    return bool(
        access.partner_ids
        and (
            agreement.commission.partner_id in access.partner_ids
            or any(
                cp.partner_id in access.partner_ids for cp in co_applicants(agreement.commission)
            )
        )
        and agreement.status in SIGNING
    )


def may_see_q(access: HubAccess) -> Q:
    """`may_see` as a filter, for lists (the API's): the same rule, kept
    beside it (tests/api/test_scoping.py checks the two agree)."""
    if access.sees_everything or access.is_officer:
        return Q()
    q = Q(pk__in=[])
    if access.is_board:
        q |= Q(status__in=SIGNING) | Q(
            status__in=BEFORE_THE_BOARD, board_comment_closes_at__isnull=False
        )
    if access.partner_ids:
        q |= Q(commission__partner_id__in=access.partner_ids, status__in=SIGNING)
        joint = CommissionPartner.objects.filter(
            commission=OuterRef("commission"), partner_id__in=access.partner_ids, is_lead=False
        )
        q |= Q(Exists(joint), status__in=SIGNING)  # a joint partnership's co-applicant
    return q


def agreement_for(access: HubAccess, commission, period: int) -> Agreement:
    agreement = (
        Agreement.objects.filter(commission=commission, period_number=period)
        .select_related("created_by", "decided_by", "submitted_by")
        .first()
    )
    if agreement is None or not may_see(access, agreement):
        raise Http404("No such agreement")
    agreement.commission = commission  # already read, with its hub and policy
    agreement.hub = commission.hub
    return agreement


def agreements_of(access: HubAccess, commission) -> list[Agreement]:
    """The agreements this person may see, from the one read the gate shares."""
    return [a for a in agreements_read(commission) if may_see(access, a)]


def board_comments(agreement: Agreement) -> list[BoardComment]:
    return list(
        BoardComment.objects.filter(agreement=agreement).select_related("author", "responded_by")
    )


def comments_by_section(agreement: Agreement, comments: list[BoardComment]) -> list[dict]:
    """The board's comments grouped as the approver reads them: on the whole
    draft first, then section by section."""
    titles = {s["key"]: s["title"] for s in agreement.sections}
    groups = [{"key": "", "title": "The whole agreement", "comments": []}]
    groups += [{"key": k, "title": t, "comments": []} for k, t in titles.items()]
    by_key = {g["key"]: g for g in groups}
    for comment in comments:
        by_key.get(comment.section_key, groups[0])["comments"].append(comment)
    return [g for g in groups if g["comments"]]


def versions_of(agreement: Agreement):
    return AgreementVersion.objects.filter(agreement=agreement).select_related("created_by")


@dataclass
class SectionChange:
    title: str
    changed: bool
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): same/added/removed


def compare(old: AgreementVersion, new: AgreementVersion) -> list[SectionChange]:
    """What changed between two versions, section by section, word by word
    grouped into lines; the schedule and details as extra sections."""
    changes = []
    old_sections = {s["key"]: s for s in old.sections}
    for section in new.sections:
        before = old_sections.get(section["key"], {"body": ""})["body"]
        changes.append(_diff(section["title"], before, section["body"]))
    changes.append(_diff("Details", _lines(old.details), _lines(new.details)))
    changes.append(
        _diff("Payment schedule", _schedule_text(old.schedule), _schedule_text(new.schedule))
    )
    return changes


def _diff(title: str, before: str, after: str) -> SectionChange:
    a, b = before.splitlines() or [""], after.splitlines() or [""]
    lines = []
    for line in difflib.ndiff(a, b):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            lines.append(("same", text))
        elif tag == "- ":
            lines.append(("removed", text))
        elif tag == "+ ":
            lines.append(("added", text))
    return SectionChange(title, before != after, lines)


def _lines(details: dict) -> str:
    return "\n".join(f"{key}: {value}" for key, value in details.items())


def _schedule_text(schedule: list[dict]) -> str:
    rows = []
    for item in schedule:
        share = f"{item['percent']}%" if item.get("percent") else f"£{item.get('amount')}"
        when = item.get("due_on") or item.get("milestone") or ""
        rows.append(f"{item.get('position')}. {item.get('description', '')}: {share}, {when}")
    return "\n".join(rows)


def agreement_todos(access: HubAccess) -> dict[str, Q]:
    """What agreements add to a person's to-do list (commissioning/hooks.py):
    the partner signs only while its signature is missing, and HLO staff or
    approvers countersign once the partner has signed."""

    def waiting(status: str) -> Q:
        return Q(Exists(Agreement.objects.filter(commission=OuterRef("pk"), status=status)))

    tasks: dict[str, Q] = {}
    if access.partner_ids:
        tasks["Sign the partnership agreement"] = Q(partner_id__in=access.partner_ids) & waiting(
            A.ISSUED
        )
    if access.can("run_commissions") or access.can("approve_commissions"):
        tasks["Countersign the partnership agreement"] = waiting(A.PARTNER_SIGNED)
    return tasks
