"""Drafting an agreement: create, save, its payment schedule, the hub's
template, its versions, and renewal for the next period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agreements import drafting, payments
from agreements.models import (
    Agreement,
    AgreementTemplate,
    AgreementVersion,
    Instalment,
    Milestone,
    PaymentBasis,
)
from agreements.rules import agreement_create_refusal, draft_refusal, renewal_draft_refusal
from agreements.services.common import _lock, _lock_commission
from commissioning.models import Commission, FundingStream
from hubs.refusals import raise_first, refuse

# ── drafting ─────────────────────────────────────────────────────────────────


def agreement_create(
    *,
    commission: Commission,
    user: Any,
    partnership_type: str | None = None,
    starts_on: date | None = None,
) -> Agreement:
    """The first agreement of an awarded commission, drafted from the hub's
    template, with the policy's term and a schedule paying the whole grant."""
    with transaction.atomic():
        locked = _lock_commission(commission)
        raise_first(agreement_create_refusal(locked, user))
        kind = partnership_type or locked.partner.partnership_type
        starts_on, ends_on = drafting.default_term(locked.policy, starts_on or timezone.localdate())
        agreement = Agreement.objects.create(
            hub_id=locked.hub_id,
            commission=locked,
            period_number=1,
            partnership_type=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            sections=_sections_from_template(locked, kind, starts_on, ends_on),
            created_by=user,
        )
        _default_schedule(agreement, capital=locked.hub_grant_capital)
        _keep_version(agreement, user, note="Drafted from the hub's template")
    return agreement


def agreement_save(
    *,
    agreement: Agreement,
    user: Any,
    bodies: dict[str, str],
    partnership_type: str,
    starts_on: date,
    ends_on: date,
    hlo_signatory_name: str = "",
    hlo_signatory_role: str = "",
    partner_signatory_name: str = "",
    partner_signatory_role: str = "",
    note: str = "",
) -> Agreement:
    """Save the draft's text and details as a new version."""
    if ends_on <= starts_on:
        refuse("term_order", "The agreement must end after it starts.", "ends_on")
    with transaction.atomic():
        locked = _lock(agreement)
        raise_first(
            draft_refusal(locked, user),
            drafting.agreement_type_refusal(
                locked.commission.policy, partnership_type, current=locked.partnership_type
            ),
        )
        locked.sections = [
            {**section, "body": bodies.get(section["key"], section["body"]).strip()}
            for section in locked.sections
        ]
        locked.partnership_type = partnership_type
        locked.starts_on, locked.ends_on = starts_on, ends_on
        locked.hlo_signatory_name = hlo_signatory_name.strip()
        locked.hlo_signatory_role = hlo_signatory_role.strip()
        locked.partner_signatory_name = partner_signatory_name.strip()
        locked.partner_signatory_role = partner_signatory_role.strip()
        _keep_version(locked, user, note=note or "Text and details edited")
    agreement.refresh_from_db()
    return agreement


def schedule_save(
    *,
    agreement: Agreement,
    user: Any,
    basis: str,
    instalments: Sequence[payments.PlannedInstalment],
    note: str = "",
) -> Agreement:
    """Replace the draft's payment schedule; it must pay exactly the grant."""
    with transaction.atomic():
        locked = _lock(agreement)
        raise_first(draft_refusal(locked, user))
        problems = payments.schedule_problems(
            basis=basis,
            instalments=instalments,
            grant=locked.grant_amount,
            capital=locked.capital_amount,
        )
        if problems:
            refuse("payment_schedule", " ".join(problems), "instalments")
        locked.instalments.all().delete()
        Instalment.objects.bulk_create(
            Instalment(
                agreement=locked,
                position=position,
                description=item.description,
                amount=item.amount,
                percent=item.percent,
                due_on=item.due_on,
                milestone=item.milestone,
                stream=payments.stream_of(item),
            )
            for position, item in enumerate(instalments, start=1)
        )
        locked.payment_basis = basis
        _keep_version(locked, user, note=note or "Payment schedule changed")
    agreement.refresh_from_db()
    return agreement


def _sections_from_template(commission, kind: str, starts_on, ends_on) -> list[dict]:
    template = AgreementTemplate.objects.filter(hub_id=commission.hub_id, partnership_type=kind)
    template = template.first()
    sections = template.sections if template and template.sections else None
    sections = sections or drafting.standard_sections(kind)
    values = {
        "partner": str(commission.partner),
        "hub": commission.hub.name,
        "hlo": commission.hub.hlo_name or commission.hub.name,
        "title": commission.title,
        "scope": drafting.scope_of(commission),
        "need": commission.need.title,
        "grant": f"{commission.hub_grant_amount:,.2f}",
        "match": f"{commission.match_funding_amount:,.2f}",
        "starts": f"{starts_on:%-d %B %Y}",
        "ends": f"{ends_on:%-d %B %Y}",
    }
    filled = []
    for section in sections:
        body = drafting.fill(section.get("body", ""), values)
        if section.get("key") == "signatories" and commission.partner.is_hlo:
            body += drafting.fill(drafting.SELF_DELIVERY_NOTE, values)
        filled.append({"key": section["key"], "title": section["title"], "body": body})
    return filled


def _default_schedule(agreement: Agreement, capital: Decimal = Decimal(0)) -> None:
    """Half on signature and half when the first report is accepted (and any
    capital part all on signature): a schedule that adds up, for the officer
    to change."""
    capital_rows = [
        Instalment(
            agreement=agreement,
            position=3,
            description="Capital grant, on signature",
            percent=Decimal(100),
            milestone=Milestone.SIGNATURE,
            stream=FundingStream.CAPITAL,
        )
    ]
    Instalment.objects.bulk_create(
        capital_rows * bool(capital)
        + [
            Instalment(
                agreement=agreement,
                position=1,
                description="On signature",
                percent=Decimal(50),
                milestone=Milestone.SIGNATURE,
            ),
            Instalment(
                agreement=agreement,
                position=2,
                description="After the progress report is accepted",
                percent=Decimal(50),
                milestone=Milestone.REPORT_ACCEPTED,
            ),
        ]
    )
    agreement.payment_basis = PaymentBasis.PERCENTAGES


def _keep_version(agreement: Agreement, user: Any, *, note: str) -> AgreementVersion:
    newest = agreement.versions.aggregate(n=Max("number"))["n"] or 0
    agreement.version_number = newest + 1
    agreement.save()
    return AgreementVersion.objects.create(
        agreement=agreement,
        number=agreement.version_number,
        sections=agreement.sections,
        schedule=payments.snapshot(agreement.instalments.all()),
        details=_details(agreement),
        note=note[:300],
        created_by=user,
    )


def _details(agreement: Agreement) -> dict[str, str]:
    return {
        "Type of partnership": agreement.get_partnership_type_display(),
        "Starts": f"{agreement.starts_on:%-d %B %Y}",
        "Ends": f"{agreement.ends_on:%-d %B %Y}",
        "Payments": agreement.get_payment_basis_display(),
        "Signs for the Hub Lead Organisation": ", ".join(
            x for x in (agreement.hlo_signatory_name, agreement.hlo_signatory_role) if x
        ),
        "Signs for the partner": ", ".join(
            x for x in (agreement.partner_signatory_name, agreement.partner_signatory_role) if x
        ),
        **drafting.kpi_schedule_details(agreement),
    }


# ── renewal ──────────────────────────────────────────────────────────────────


def agreement_renew(*, agreement: Agreement, user: Any) -> Agreement:
    """Draft the next period's agreement (annual renewal): the same text and
    schedule, the term the policy sets, starting the day after this one ends."""
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        current = _lock(agreement)
        current.commission = commission
        raise_first(renewal_draft_refusal(current, user))
        starts_on = current.ends_on + timedelta(days=1)
        starts_on, ends_on = drafting.default_term(commission.policy, starts_on)
        renewal = Agreement.objects.create(
            hub_id=current.hub_id,
            commission=commission,
            period_number=current.period_number + 1,
            partnership_type=current.partnership_type,
            starts_on=starts_on,
            ends_on=ends_on,
            sections=current.sections,
            payment_basis=current.payment_basis,
            hlo_signatory_name=current.hlo_signatory_name,
            hlo_signatory_role=current.hlo_signatory_role,
            partner_signatory_name=current.partner_signatory_name,
            partner_signatory_role=current.partner_signatory_role,
            created_by=user,
        )
        Instalment.objects.bulk_create(
            Instalment(
                agreement=renewal,
                position=item.position,
                description=item.description,
                amount=item.amount,
                percent=item.percent,
                due_on=_a_year_on(item.due_on),
                milestone=item.milestone,
                stream=item.stream,
            )
            for item in current.instalments.all()
        )
        _keep_version(renewal, user, note=f"Renewed from period {current.period_number}")
    return renewal


def _a_year_on(day: date | None) -> date | None:
    if day is None:
        return None
    return drafting.add_months(day, 12)
