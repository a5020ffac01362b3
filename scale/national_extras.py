"""The national dataset's agreements, payments and reports, in bulk.

Registered in scale.national.EXTRA_BUILDERS: each commission from the draft
stage on gets its partnership agreement in the status its stage implies, with
versions; signed ones have both signatures and three instalments (the first
paid); live and finished partnerships have their reports, accepted, submitted
or due.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

from django.db import models

from agreements.drafting import standard_sections
from agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Instalment,
    InstalmentStatus,
    Milestone,
    Signature,
    SigningParty,
)
from commissioning.models import Commission
from commissioning.workflow import DECOMMISSIONING, Stage
from hubs.models import Hub, Membership, Role
from monitoring.models import Report, ReportKind, ReportStatus

BATCH = 2000
LIVE = [Stage.MONITORING, Stage.COMPLETED, *DECOMMISSIONING, Stage.DECOMMISSIONED]
AGREEMENT_STATUS = {
    Stage.DRAFT: AgreementStatus.DRAFT,
    Stage.BOARD_COMMENT: AgreementStatus.BOARD_COMMENT,
    Stage.APPROVAL: AgreementStatus.APPROVAL,
    Stage.ISSUED: AgreementStatus.ISSUED,
    **dict.fromkeys(LIVE, AgreementStatus.SIGNED),
}


def _bulk(model: type[models.Model], rows) -> list:
    return model.objects.bulk_create(list(rows), batch_size=BATCH)


def _people(hub: Hub) -> tuple:
    def one(role):
        m = Membership.objects.filter(hub=hub, role=role).order_by("pk").first()
        return m.user if m else None

    contacts = {
        m.partner_id: m.user
        for m in Membership.objects.filter(hub=hub, role=Role.PARTNER_CONTACT).select_related(
            "user"
        )
    }
    return one(Role.HLO_STAFF), one(Role.APPROVER), contacts


def _board_closes(c: Commission):
    """When the board's say on the draft closes (or closed), where it had one."""
    if c.status == Stage.BOARD_COMMENT:
        return c.board_comment_closes_at
    if c.status == Stage.APPROVAL and c.policy.board_comment_on_drafts != "skipped":
        return c.created_at + timedelta(days=30)
    return None


def agreements(hub: Hub, commissions: list[Commission]) -> int:
    """Agreements with versions, signatures and instalments; rows made."""
    if Agreement.objects.filter(hub=hub).exists():
        return 0  # built already
    officer, approver, contacts = _people(hub)
    sections = standard_sections("delivery")
    rows = [c for c in commissions if c.status in AGREEMENT_STATUS and c.partner_id]
    made = _bulk(
        Agreement,
        (
            Agreement(
                hub=hub,
                commission=c,
                partnership_type="delivery",
                starts_on=(c.created_at + timedelta(days=30)).date(),
                ends_on=(c.created_at + timedelta(days=395)).date(),
                status=AGREEMENT_STATUS[c.status],
                sections=sections,
                version_number=2,
                hlo_signatory_name="Olivia Officer",
                hlo_signatory_role="Music Director",
                partner_signatory_name="Pat Contact",
                partner_signatory_role="Director",
                created_by=officer,
                board_comment_closes_at=_board_closes(c),
                issued_at=c.created_at + timedelta(days=40)
                if c.status not in (Stage.DRAFT, Stage.BOARD_COMMENT, Stage.APPROVAL)
                else None,
            )
            for c in rows
        ),
    )
    versions = _bulk(
        AgreementVersion,
        (
            AgreementVersion(
                agreement=a, number=n, sections=sections, note=note, created_by=officer
            )
            for a in made
            for n, note in ((1, "First draft"), (2, "Signatories named"))
        ),
    )
    signed = [a for a in made if a.status == AgreementStatus.SIGNED]
    digest = hashlib.sha256(repr(sections).encode()).hexdigest()
    signatures = _bulk(
        Signature,
        (
            Signature(
                agreement=a,
                party=party,
                full_name=user.get_full_name() or user.email,
                role_title="Director" if party == SigningParty.PARTNER else "For the HLO",
                consent_statement="I agree to sign this agreement electronically.",
                user=user,
                signed_at=a.commission.created_at + timedelta(days=45),
                ip_address="192.0.2.10",
                user_agent="National dataset",
                version_number=2,
                content_digest=digest,
            )
            for a in signed
            for party, user in (
                (SigningParty.PARTNER, contacts.get(a.commission.partner_id) or officer),
                (SigningParty.HLO, approver),
            )
        ),
    )
    instalments = _bulk(
        Instalment,
        (
            Instalment(
                agreement=a,
                position=position,
                description=f"Instalment {position}",
                percent=Decimal(percent),
                milestone=milestone,
                status=status,
                paid_at=a.commission.created_at + timedelta(days=60)
                if status == InstalmentStatus.PAID
                else None,
                paid_by=officer if status == InstalmentStatus.PAID else None,
                payment_reference=f"PAY-{a.pk}-1" if status == InstalmentStatus.PAID else "",
            )
            for a in signed
            for position, percent, milestone, status in (
                (1, 40, Milestone.SIGNATURE, InstalmentStatus.PAID),
                (2, 40, Milestone.REPORT_ACCEPTED, InstalmentStatus.SCHEDULED),
                (3, 20, Milestone.FINAL_EVALUATION, InstalmentStatus.SCHEDULED),
            )
        ),
    )
    return len(made) + len(versions) + len(signatures) + len(instalments)


def reports(hub: Hub, commissions: list[Commission]) -> int:
    """Two progress reports per live or finished partnership; rows made."""
    if Report.objects.filter(hub=hub).exists():
        return 0  # built already
    officer, _, contacts = _people(hub)
    live = [c for c in commissions if c.status in LIVE and c.partner_id]

    def status_of(c: Commission, n: int) -> str:
        if c.status != Stage.MONITORING or n == 1:
            return ReportStatus.ACCEPTED
        return [ReportStatus.DUE, ReportStatus.SUBMITTED, ReportStatus.RETURNED][c.pk % 3]

    rows = []
    for c in live:
        for n in (1, 2):
            status = status_of(c, n)
            done = status != ReportStatus.DUE
            rows.append(
                Report(
                    hub=hub,
                    commission=c,
                    kind=ReportKind.PROGRESS,
                    title=f"Progress report {n}",
                    due_on=(c.created_at + timedelta(days=90 * n)).date(),
                    status=status,
                    activities="Weekly ensembles in six schools." if done else "",
                    outcomes="More young people playing together." if done else "",
                    participants=40 + c.pk % 60 if done else None,
                    schools=6 if done else None,
                    submitted_at=c.created_at + timedelta(days=90 * n) if done else None,
                    submitted_by=contacts.get(c.partner_id) if done else None,
                    decided_at=c.created_at + timedelta(days=95 * n)
                    if status == ReportStatus.ACCEPTED
                    else None,
                    decided_by=officer if status == ReportStatus.ACCEPTED else None,
                )
            )
    return len(_bulk(Report, rows))
