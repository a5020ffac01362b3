"""A partner's expression of interest: start, save a draft, attach files,
submit (with its receipt, emailed after commit) and withdraw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning import policy
from commissioning.calls.common import (
    ANSWERS,
    COUNTS,
    LONG_ANSWERS,
    Refused,
    money,
    refuse,
    when,
    words,
)
from commissioning.calls.selectors import proposal_reference
from commissioning.models import (
    BudgetLine,
    Call,
    FundingKind,
    FundingSource,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
)
from commissioning.policy import Refusal
from commissioning.uploads import check_upload
from commissioning.workflow import Stage
from hubs.drafts import draft_version_claim
from hubs.models import Membership, Role
from notices.services import notify
from partners.models import PartnerOrganisation

# ── expressions of interest ──────────────────────────────────────────────────

DRAFT = "expression of interest"


def _closed(call: Call, now: datetime | None = None) -> Refusal | None:
    now = now or timezone.now()
    if now < call.opens_at:
        return Refusal("call_not_open", f"This call opens at {when(call.opens_at)}.")
    if call.closed_at or now >= call.closes_at:
        closed = min(call.closed_at or call.closes_at, call.closes_at)
        return Refusal(
            "deadline_passed",
            f"This call closed at {when(closed)}; late expressions of interest cannot be accepted.",
        )
    if call.commission.status != Stage.IDENTIFY:
        return Refusal(
            "call_withdrawn",
            "This call no longer accepts expressions of interest: the commission is "
            f"'{call.commission.stage.label}'.",
        )
    return None


def _contact_only(hub_id: int, partner: PartnerOrganisation, user: Any) -> None:
    speaks_for = Membership.objects.filter(
        hub_id=hub_id, user=user, role=Role.PARTNER_CONTACT, partner=partner
    ).exists()
    if not speaks_for:
        refuse(
            "partner_contact_only",
            f"Only a named contact of {partner} can act on its expression of interest.",
        )


def _locked(proposal: Proposal, user: Any) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("hub", "partner", "call", "commission", "commission__policy")
        .select_related("commission__hub", "commission__service_area")
        .get(pk=proposal.pk)
    )
    _contact_only(locked.hub_id, locked.partner, user)
    return locked


def _draft_only(p: Proposal) -> None:
    if p.status != ProposalStatus.DRAFT:
        refuse(
            "not_a_draft",
            f"This expression of interest is {p.get_status_display().lower()}; "
            "it can no longer be changed.",
        )


def eoi_eligibility_refusal(call: Call, partner: PartnerOrganisation) -> Refusal | None:
    """Who may answer this call: a yearly round for schools takes schools,
    each registered with its URN. Asked when a draft is started and when it
    is submitted; the call's page asks it to decide what it offers."""
    if not call.for_schools:
        return None
    if partner.organisation_type == "school" and partner.school_urn:
        return None
    return Refusal(
        "schools_only",
        f"This call is a round for schools: only a school registered with its URN can apply, "
        f"and {partner.name} is registered as {partner.get_organisation_type_display().lower()}"
        f"{'' if partner.organisation_type != 'school' else ' without a URN'}.",
    )


def proposal_start_eoi(*, call: Call, partner: PartnerOrganisation, user: Any) -> Proposal:
    """The partner's draft for this call: made now, or the one it already has."""
    _contact_only(call.hub_id, partner, user)
    eligibility = eoi_eligibility_refusal(call, partner)
    if eligibility is not None:
        raise Refused([eligibility])
    existing = Proposal.objects.filter(commission_id=call.commission_id, partner=partner).first()
    if existing is not None:
        return existing
    closed = _closed(call)
    if closed is not None:
        raise Refused([closed])
    proposal, _ = Proposal.objects.get_or_create(
        commission_id=call.commission_id,
        partner=partner,
        defaults={
            "hub_id": call.hub_id,
            "call": call,
            "service_area_id": call.commission.service_area_id,
            "status": ProposalStatus.DRAFT,
        },
    )
    return proposal


def proposal_save_draft(
    *,
    proposal: Proposal,
    user: Any,
    answers: dict[str, str] | None = None,
    budget_lines: Iterable[tuple[str, Decimal]] | None = None,
    funding_sources: Iterable[tuple[str, str, Decimal]] | None = None,
    files: Sequence[UploadedFile] = (),
    remove_attachments: Iterable[int] = (),
    version: int | None = None,
) -> list[Refusal]:
    """Keep whatever the partner has written, as it is: nothing is checked but
    the files. Lines given replace the stored ones; None leaves them. Returns
    the refusals of files that were not kept. `version` is the draft version
    the page was loaded with (hubs/drafts.py): an older one is refused."""
    with transaction.atomic():
        p = _locked(proposal, user)
        _draft_only(p)
        draft_version_claim(Proposal.objects, p, sent=version, what=DRAFT)
        for name, value in (answers or {}).items():
            if name in ANSWERS or name in COUNTS:
                setattr(p, name, value)
        p.save()
        if budget_lines is not None:
            p.budget_lines.all().delete()
            BudgetLine.objects.bulk_create(
                BudgetLine(proposal=p, description=d, amount=a or 0, position=i)
                for i, (d, a) in enumerate(budget_lines)
            )
        if funding_sources is not None:
            p.funding_sources.all().delete()
            FundingSource.objects.bulk_create(
                FundingSource(proposal=p, kind=k, description=d, amount=a or 0, position=i)
                for i, (k, d, a) in enumerate(funding_sources)
            )
        refusals = _attach(p, user, files, remove_attachments)
    proposal.refresh_from_db()
    return refusals


def _attach(p: Proposal, user: Any, files, remove) -> list[Refusal]:
    gone = list(p.attachments.filter(pk__in=list(remove)))
    for attachment in gone:
        name, storage = attachment.file.name, attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    refusals = []
    kept = p.attachments.count()
    limit = settings.UPLOAD_MAX_FILES_PER_PROPOSAL
    for upload in files:
        if kept >= limit:
            refusals.append(
                Refusal(
                    "too_many_files",
                    f"{upload.name} was not attached: an expression of interest can have "
                    f"up to {limit} files.",
                    "attachments",
                )
            )
            continue
        try:
            checked = check_upload(upload)
        except Refused as refused:
            refusals.append(Refusal("attachment_refused", refused.message, "attachments"))
            continue
        ProposalAttachment.objects.create(
            hub_id=p.hub_id,
            proposal=p,
            file=checked.file,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user,
        )
        kept += 1
    return refusals


def _answer_refusals(p: Proposal, limit: int) -> list[Refusal]:
    found = []
    for name in ANSWERS:
        label = Proposal._meta.get_field(name).verbose_name
        text = getattr(p, name).strip()
        if not text and name == "title":
            found.append(Refusal("answer_required", "Give it a title.", name))
        elif not text:
            found.append(Refusal("answer_required", f"Answer '{label.capitalize()}'.", name))
        elif name in LONG_ANSWERS and words(text) > limit:
            found.append(
                Refusal(
                    "word_limit",
                    f"'{label.capitalize()}' is {words(text)} words; this call allows up to "
                    f"{limit}. Cut {words(text) - limit}.",
                    name,
                )
            )
    return found


def _budget_refusals(lines: list[BudgetLine], sources: list[FundingSource]) -> list[Refusal]:
    found = []
    if not lines:
        found.append(Refusal("budget_required", "Add at least one cost to the budget.", "budget"))
    elif any(not line.description.strip() or line.amount <= 0 for line in lines):
        found.append(
            Refusal(
                "cost_line_incomplete",
                "Each cost needs a description and an amount of more than £0.",
                "budget",
            )
        )
    if not sources:
        found.append(
            Refusal(
                "funding_required", "Add where the money comes from: a funding source.", "funding"
            )
        )
    elif any(s.kind not in FundingKind.values or s.amount <= 0 for s in sources):
        found.append(
            Refusal(
                "funding_incomplete",
                "Each funding source needs a kind and an amount of more than £0.",
                "funding",
            )
        )
    costs, funding = sum(l.amount for l in lines), sum(s.amount for s in sources)  # noqa: E741
    if lines and sources and costs != funding:
        found.append(
            Refusal(
                "budget_mismatch",
                f"The funding sources add up to {money(funding)} but the costs add up to "
                f"{money(costs)}; they must match.",
                "budget",
            )
        )
    return found


def _set_totals(p: Proposal, lines: list[BudgetLine], sources: list[FundingSource]) -> None:
    by_kind = {kind: Decimal(0) for kind in FundingKind.values}
    for s in sources:
        if s.kind in by_kind:
            by_kind[s.kind] += s.amount
    p.total_cost = sum((line.amount for line in lines), Decimal(0))
    p.hub_grant_requested = by_kind[FundingKind.HUB_GRANT]
    p.other_funding = by_kind[FundingKind.OTHER]
    p.in_kind = by_kind[FundingKind.IN_KIND]


def proposal_submit_eoi(*, proposal: Proposal, user: Any) -> Proposal:
    """Submit a draft before the call's deadline, once its answers are in, its
    budget adds up and the hub's policy allows it. Refused, it stays a draft
    exactly as it was."""
    with transaction.atomic():
        p = _locked(proposal, user)
        _draft_only(p)
        closed = _closed(p.call) or eoi_eligibility_refusal(p.call, p.partner)
        if closed is not None:
            raise Refused([closed])
        lines, sources = list(p.budget_lines.all()), list(p.funding_sources.all())
        _set_totals(p, lines, sources)
        p.service_area_id = p.commission.service_area_id  # exactly one area: the commission's
        budget = _budget_refusals(lines, sources)
        rules = [r for r in policy.proposal_checks(p) if not (budget and r.rule == "match_funding")]
        refusals = [*_answer_refusals(p, p.call.word_limit), *budget, *rules]
        if refusals:
            raise Refused(refusals)
        # Submitted: any save still on its way from an open page is now stale.
        draft_version_claim(Proposal.objects, p, sent=None, what=DRAFT)
        p.status = ProposalStatus.SUBMITTED
        p.submitted_at = timezone.now()
        p.submitted_by = user
        p.full_clean(validate_unique=False, validate_constraints=False)
        p.save()
        _receipt(p, user)
    proposal.refresh_from_db()
    return proposal


def proposal_withdraw_eoi(*, proposal: Proposal, user: Any) -> Proposal:
    """Withdraw before the deadline; afterwards the Hub is already reading it."""
    with transaction.atomic():
        p = _locked(proposal, user)
        if p.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
            refuse(
                "cannot_withdraw",
                f"This expression of interest is {p.get_status_display().lower()}; "
                "it cannot be withdrawn.",
            )
        closed = _closed(p.call)
        if closed is not None and closed.rule == "deadline_passed":
            refuse(
                "deadline_passed",
                f"This call closed at {when(p.call.closes_at)}; an expression of "
                f"interest cannot be withdrawn after the deadline. Contact {p.hub} if "
                "your plans have changed.",
            )
        p.status = ProposalStatus.WITHDRAWN
        p.withdrawn_at = timezone.now()
        p.save(update_fields=["status", "withdrawn_at", "updated_at"])
    proposal.refresh_from_db()
    return proposal


def _receipt(p: Proposal, contact: Any) -> None:
    """The receipt for the contact who submitted it: the call, the time, a
    reference. Through the messenger, in the submission's transaction: their
    activity feed, and an email sent after commit (or once the broker is back)."""
    context = {
        "hub": p.hub,
        "partner": p.partner,
        "call": p.call,
        "proposal": p,
        "reference": proposal_reference(p),
        "submitted_at": p.submitted_at,
        "closes_at": p.call.closes_at,
        "contact_name": contact.get_full_name() or contact.email,
    }
    notify(
        hub=p.hub,
        recipients=[contact],
        kind="eoi_receipt",
        subject=" ".join(render_to_string("emails/eoi_receipt_subject.txt", context).split()),
        body=render_to_string("emails/eoi_receipt.txt", context),
        url=reverse("calls:proposal", args=[p.hub.slug, p.pk]),
    )
