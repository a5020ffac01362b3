"""Every write to a variation of a signed agreement: propose, comment,
decide, sign, countersign, withdraw. Each runs in one transaction on the
rows locked in the order agreements take them (the commission, then the
agreement, then the variation), asks its gate in agreements/rules_variations.py
and raises what it refuses.

The countersignature makes the change: the agreement's text, term and the
commission's Hub grant (revenue and capital) take the variation's values,
the instalments not yet due follow the new funding, and the result is kept
as the agreement's next version (the versions page shows the difference).
Then every follower registered with `add_follower` is called inside the
same transaction with (variation, agreement): monitoring re-plans the
reports still to come for the new term (monitoring/variation_follow.py);
contracts applies the variation's `kpi_plan` to its KPIs
(contracts/variation_follow.py). They run before the new version is kept,
so the version states the agreement as varied (its schedule of KPIs too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agreements import rules_variations as rv
from agreements.models import (
    Agreement,
    Instalment,
    InstalmentStatus,
    Milestone,
    PaymentBasis,
    Variation,
    VariationComment,
    VariationDecision,
    VariationSignature,
    VariationStatus,
)
from agreements.payments import values
from agreements.services.common import CONSENT_STATEMENT, _lock, _lock_commission
from agreements.services.drafts import _keep_version
from agreements.services.instalments import _mark_due
from agreements.variation_kpis import plan_of
from agreements.variation_models import VariationOutcome
from commissioning.models import FundingStream
from hubs.refusals import raise_first
from hubs.routes import comment_step, members_of
from notices.services import notify

V = VariationStatus
Follower = Callable[[Variation, Agreement], None]
_followers: list[Follower] = []


def add_follower(follower: Follower) -> None:
    """Called with (variation, agreement) inside the transaction that makes
    a signed variation the agreement's new version."""
    if follower not in _followers:
        _followers.append(follower)


def _lock_variation(variation: Variation) -> tuple[Variation, Agreement]:
    commission = _lock_commission(variation.agreement.commission)
    agreement = _lock(variation.agreement)
    agreement.commission = commission
    locked = Variation.objects.select_for_update(of=("self",)).get(pk=variation.pk)
    locked.agreement = agreement
    return locked, agreement


def variation_propose(*, agreement: Agreement, user: Any, change: rv.Change) -> Variation:
    """The partner's or the officer's proposal: it goes straight onto the
    policy's route for variations (a comment step's window opens now)."""
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        locked.commission = commission
        raise_first(rv.variation_propose_refusal(locked, user, change=change))
        newest = locked.variations.aggregate(n=Max("number"))["n"] or 0
        c = commission
        grant_changed = change.hub_grant_amount not in (None, c.hub_grant_amount)
        capital_changed = change.hub_grant_capital not in (None, c.hub_grant_capital)
        variation = Variation(
            hub_id=locked.hub_id,
            agreement=locked,
            number=newest + 1,
            proposed_by=user,
            by_partner=rv.is_partner_of(user, commission) and not _runs(user, commission),
            reason=change.reason.strip(),
            sections={
                key: body.strip()
                for key, body in change.sections.items()
                if locked.section(key)["body"] != body.strip()
            },
            starts_on=change.starts_on if change.starts_on != locked.starts_on else None,
            ends_on=change.ends_on if change.ends_on != locked.ends_on else None,
            hub_grant_amount=change.hub_grant_amount if grant_changed or capital_changed else None,
            hub_grant_capital=change.hub_grant_capital
            if grant_changed or capital_changed
            else None,
            kpi_changes=change.kpi_changes.strip(),
            kpi_plan=plan_of(locked, change.kpis),
            from_version=locked.version_number,
            grant_before=c.hub_grant_amount,
            capital_before=c.hub_grant_capital,
        )
        if variation.hub_grant_amount is None and variation.hub_grant_capital is not None:
            variation.hub_grant_amount = c.hub_grant_amount
        if variation.hub_grant_capital is None and variation.hub_grant_amount is not None:
            variation.hub_grant_capital = c.hub_grant_capital
        step = comment_step(rv.route_of(variation))  # not yet saved: no decisions to read
        if step is not None:
            variation.comment_closes_at = timezone.now() + timedelta(days=step.window_days)
        variation.save()
        variation.__dict__.pop("_decisions", None)
        _tell_waiting(variation)
    return variation


def _runs(user: Any, commission: Any) -> bool:
    from hubs.access import runs_commission

    return runs_commission(user, commission)


def variation_comment_add(*, variation: Variation, user: Any, body: str) -> VariationComment:
    with transaction.atomic():
        locked, _ = _lock_variation(variation)
        raise_first(rv.variation_comment_refusal(locked, user, body=body))
        return VariationComment.objects.create(variation=locked, author=user, body=body.strip())


def variation_decide(
    *, variation: Variation, user: Any, outcome: str, reason: str = ""
) -> VariationDecision:
    """One member's decision. A refusal ends the variation; the last approval
    the route needs approves it for signature."""
    with transaction.atomic():
        locked, _ = _lock_variation(variation)
        raise_first(rv.variation_decision_refusal(locked, user, outcome=outcome, reason=reason))
        step = rv.standing(locked).awaited
        decision = VariationDecision.objects.create(
            variation=locked,
            step_position=step.position,
            body_name=step.body_name,
            outcome=outcome,
            actor=user,
            reason=reason.strip(),
        )
        locked.__dict__.pop("_decisions", None)
        if outcome == VariationOutcome.REFUSE:
            locked.status = V.REFUSED
        elif rv.standing(locked).awaited is None:
            locked.status = V.APPROVED
        if locked.status != V.PROPOSED:
            locked.decided_at = timezone.now()
            locked.decision_note = reason.strip()
            locked.save(update_fields=["status", "decided_at", "decision_note"])
            _tell(locked, "partner_and_officers", f"variation {locked.number} is {_said(locked)}")
        else:
            _tell_waiting(locked)
    return decision


def _said(variation: Variation) -> str:
    return {V.APPROVED: "approved: please sign it", V.REFUSED: "refused"}.get(
        variation.status, variation.get_status_display().lower()
    )


def variation_sign(
    *,
    variation: Variation,
    user: Any,
    full_name: str,
    role_title: str,
    consent: bool,
    ip_address: str | None = None,
) -> VariationSignature:
    """The partner's signature of an approved variation, or the HLO's
    countersignature of one the partner has signed; the countersignature
    makes the change."""
    with transaction.atomic():
        locked, agreement = _lock_variation(variation)
        given = {"full_name": full_name, "role_title": role_title, "consent": consent}
        raise_first(rv.variation_sign_refusal(locked, user, **given))
        party = "partner" if locked.status == V.APPROVED else "hlo"
        signature = VariationSignature.objects.create(
            variation=locked,
            party=party,
            full_name=full_name.strip(),
            role_title=role_title.strip(),
            consent_statement=CONSENT_STATEMENT,
            user=user,
            ip_address=ip_address or None,
        )
        if party == "partner":
            locked.status = V.PARTNER_SIGNED
            locked.save(update_fields=["status"])
            _tell(locked, "countersigners", f"variation {locked.number} is signed by the partner")
        else:
            _apply(locked, agreement, user)
            _tell(locked, "partner_and_officers", f"variation {locked.number} is in force")
    return signature


def variation_withdraw(*, variation: Variation, user: Any, reason: str) -> Variation:
    with transaction.atomic():
        locked, _ = _lock_variation(variation)
        raise_first(rv.variation_withdraw_refusal(locked, user, reason=reason))
        locked.status = V.WITHDRAWN
        locked.withdrawn_reason = reason.strip()
        locked.save(update_fields=["status", "withdrawn_reason"])
    return locked


# ── making the change ────────────────────────────────────────────────────────


def _apply(variation: Variation, agreement: Agreement, user: Any) -> None:
    commission = agreement.commission
    agreement.sections = [
        {**s, "body": variation.sections.get(s["key"], s["body"])} for s in agreement.sections
    ]
    agreement.starts_on = variation.starts_on or agreement.starts_on
    agreement.ends_on = variation.ends_on or agreement.ends_on
    if variation.changes_funding:
        follow_funding(variation, agreement, user)
        commission.hub_grant_amount = variation.hub_grant_amount
        commission.hub_grant_capital = variation.hub_grant_capital
        commission.save(update_fields=["hub_grant_amount", "hub_grant_capital"])
    variation.status = V.SIGNED
    variation.to_version = (agreement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    for follower in list(_followers):
        follower(variation, agreement)
    version = _keep_version(
        agreement, user, note=f"Variation {variation.number}: {variation.reason}"
    )
    variation.to_version = version.number
    variation.save(update_fields=["status", "to_version"])
    for instalment in agreement.instalments.filter(
        milestone=Milestone.SIGNATURE, status=InstalmentStatus.SCHEDULED
    ):
        _mark_due(instalment, user, f"Variation {variation.number} was signed by both parties.")


def follow_funding(variation: Variation, agreement: Agreement, user: Any) -> None:
    """The instalments follow the new funding: those due, approved or paid
    stay as they are; per stream, those still scheduled are scaled to pay
    what is left of the new part (the last taking the pennies), or, with
    none scheduled, one instalment on signature pays an increase. The
    schedule is then in fixed amounts."""
    old_grant, old_capital = agreement.grant_amount, agreement.capital_amount
    new_parts = {
        FundingStream.REVENUE: variation.hub_grant_amount - variation.hub_grant_capital,
        FundingStream.CAPITAL: variation.hub_grant_capital,
    }
    items = list(agreement.instalments.all())
    worth = dict(zip([i.pk for i in items], values(items, old_grant, old_capital), strict=True))
    for item in items:  # fixed amounts from here on
        item.amount, item.percent = worth[item.pk], None
    position = max((i.position for i in items), default=0)
    for stream, part in new_parts.items():
        mine = [i for i in items if i.stream == stream]
        scheduled = [i for i in mine if i.status == InstalmentStatus.SCHEDULED]
        left = part - sum((i.amount for i in mine if i not in scheduled), Decimal(0))
        if not scheduled and left > 0:
            position += 1
            items.append(
                Instalment(
                    agreement=agreement,
                    position=position,
                    description=f"Variation {variation.number}: increase in the "
                    f"{FundingStream(stream).label.lower()} grant",
                    amount=left,
                    milestone=Milestone.SIGNATURE,
                    stream=stream,
                )
            )
            continue
        before = sum((i.amount for i in scheduled), Decimal(0))
        for n, item in enumerate(scheduled):
            if n == len(scheduled) - 1:
                item.amount = left - sum((s.amount for s in scheduled[:-1]), Decimal(0))
            elif before:
                item.amount = (item.amount * left / before).quantize(Decimal("0.01"))
            else:
                item.amount = (left / len(scheduled)).quantize(Decimal("0.01"))
    for item in items:
        if item.pk and item.amount is not None and item.amount <= 0:
            item.delete()
        elif item.pk:
            item.save(update_fields=["amount", "percent"])
        else:
            item.save()
    agreement.payment_basis = PaymentBasis.AMOUNTS


# ── telling people ───────────────────────────────────────────────────────────


def _path(variation: Variation) -> str:
    from django.urls import reverse

    a = variation.agreement
    return reverse(
        "agreements:variation",
        args=[a.hub.slug, a.commission.reference, a.period_number, variation.number],
    )


def _tell_waiting(variation: Variation) -> None:
    """Whoever the route now waits on: the comment step's members while its
    window is open, and the members of the decide step it waits on."""
    now = rv.standing(variation)
    c = variation.agreement.commission
    people = set()
    if now.comment is not None and variation.comment_closes_at:
        people |= set(members_of(now.comment, c))
    if now.awaited is not None:
        people |= set(members_of(now.awaited, c).exclude(pk=variation.proposed_by_id))
    _send(
        variation, sorted(people, key=lambda u: u.pk), "a variation of the agreement waits on you"
    )


def _tell(variation: Variation, to: str, what: str) -> None:
    from agreements.notifications import recipients

    a = variation.agreement
    if to == "countersigners":
        people = recipients(a, "countersigners")
    else:
        people = recipients(a, "partner") + recipients(a, "officers")
    _send(variation, people, what)


def _send(variation: Variation, people: list, what: str) -> None:
    a = variation.agreement
    c = a.commission
    if not people:
        return
    notify(
        hub=a.hub,
        recipients=people,
        kind="agreement_variation",
        subject=f"[{a.hub.name}] {c.reference}: {what}",
        body=f"{c.reference} {c.title}\nVariation {variation.number}: {variation.reason[:300]}",
        url=_path(variation),
    )
