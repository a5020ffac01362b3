"""The gate of every write to an agreement, and what agreements ask of the
commission's moves. Each `<thing>_refusal(...)` returns the first Refusal or
None: the service raises it, the page asks the same function what to offer.

An agreement's steps (board comment, approval, signatures) are the
commission's moves and are judged by the one policy engine
(`commissioning.policy.move_refusal`): for the first agreement the subject
is the commission itself, whose move it is; for a renewal it is the
agreement, which makes the same moves while the commission stays live. A
`None` for an input (a comment's body, a signature's name) means "not
judged yet": a page deciding what to offer leaves it out.

The rules at the bottom are registered with commissioning's hooks in
AgreementsConfig.ready.
"""

from __future__ import annotations

from typing import Any

from agreements import payments
from agreements.models import (
    OPEN_FOR_COMMENT,
    Agreement,
    AgreementStatus,
    InstalmentStatus,
    SigningParty,
)
from commissioning.models import Commission
from commissioning.policy import move_refusal, officer_refusal
from commissioning.routing import comment_step_of
from commissioning.rules import needs_input
from commissioning.workflow import Stage
from hubs.models import Membership
from hubs.refusals import Refusal, first
from hubs.routes import is_member

A = AgreementStatus


def subject_of(agreement: Agreement) -> Any:
    """Whose move an agreement's step is: the commission's for the first
    agreement, the renewal's own otherwise."""
    return agreement.commission if agreement.is_first else agreement


def commenting_step(agreement: Agreement) -> Any:
    """The step of the agreement's route at which the board (or a group) comments."""
    return comment_step_of(subject_of(agreement), "send_to_board")


def _who(user: Any, checker: Any) -> Any:
    return checker if checker is not None else user


# ── drafting ─────────────────────────────────────────────────────────────────


def agreement_create_refusal(commission: Commission, user: Any, checker: Any = None):
    return first(
        officer_refusal(_who(user, checker), commission, "draft its partnership agreement"),
        None
        if commission.status == Stage.DRAFT
        else Refusal(
            "not_awarded",
            "An agreement is drafted once the commission has been awarded to a partner.",
        ),
        Refusal("already_drafted", "This commission already has its partnership agreement.")
        if first_agreement_of(commission) is not None
        else None,
    )


def draft_refusal(agreement: Agreement, user: Any, checker: Any = None) -> Refusal | None:
    """Saving the text, term, signatories or payment schedule."""
    if agreement.status != A.DRAFT:
        not_draft = Refusal(
            "not_a_draft",
            f"This agreement is '{agreement.get_status_display()}'; only a draft can be "
            "changed. The approver can return it to draft.",
        )
    else:
        not_draft = None
    return first(
        officer_refusal(_who(user, checker), agreement.commission, "change the agreement"),
        not_draft,
    )


def renewal_draft_refusal(agreement: Agreement, user: Any, checker: Any = None):
    """Drafting the next period's agreement from this one."""
    commission = agreement.commission
    refusal = officer_refusal(_who(user, checker), commission, "renew the agreement")
    if refusal is not None:
        return refusal
    if agreement.status != A.SIGNED:
        return Refusal("not_signed", "Only a signed agreement can be renewed.")
    if commission.status != Stage.MONITORING:
        return Refusal("not_live", "Only a live partnership (signed and active) can be renewed.")
    if commission.agreements.filter(period_number=agreement.period_number + 1).exists():
        return Refusal("already_renewed", "The next period's agreement has already been drafted.")
    return None


# ── steps: board, approval, withdrawal ───────────────────────────────────────


def agreement_step_refusal(
    agreement: Agreement, action: str, user: Any, checker: Any = None, **params: Any
) -> Refusal | None:
    """One of the agreement's moves, judged as the commission's are."""
    return move_refusal(subject_of(agreement), action, user, checker=checker, **params)


def board_comment_refusal(
    agreement: Agreement,
    user: Any,
    checker: Any = None,
    *,
    body: str | None = None,
    section_key: str = "",
) -> Refusal | None:
    who = _who(user, checker)
    step = commenting_step(agreement)
    if step is None:  # the route asks no one's comment: only a board member is told so
        board = agreement.commission.policy.board_name
        if not who.has_perm("hubs.comment_as_board", agreement.hub):
            return Refusal("board_only", f"Only members of the {board} can comment on drafts.")
        return Refusal(
            "no_board_comment",
            f"Board comment is not a step in {agreement.hub.name}'s policy for this draft.",
        )
    if not is_member(who, step, agreement.commission):
        return Refusal(
            "board_only", f"Only members of the {step.body_name} can comment on this draft."
        )
    if agreement.status == A.DRAFT:
        return Refusal("not_with_board", "The board comments once the draft has been sent to it.")
    if agreement.status not in OPEN_FOR_COMMENT or agreement.board_comment_closes_at is None:
        return Refusal(
            "comments_closed",
            f"This agreement is '{agreement.get_status_display()}': the board's comments are "
            "no longer taken.",
        )
    if body is not None and not body.strip():
        return Refusal("comment_required", "Write your comment.", "body")
    if section_key and agreement.section(section_key) is None:
        return Refusal("no_such_section", "Choose a section of this agreement.", "section_key")
    return None


def comment_response_refusal(
    agreement: Agreement, user: Any, checker: Any = None, *, response: str | None = None
) -> Refusal | None:
    return first(
        officer_refusal(_who(user, checker), agreement.commission, "respond to the board"),
        Refusal("response_required", "Write your response.", "response")
        if response is not None and not response.strip()
        else None,
    )


# ── signatures ───────────────────────────────────────────────────────────────


def _signature_given(full_name, role_title, consent) -> Refusal | None:
    if full_name is not None and not full_name.strip():
        return Refusal("name_required", "Type your full name to sign.", "full_name")
    if role_title is not None and not role_title.strip():
        return Refusal("role_required", "Give your role in the organisation.", "role_title")
    if consent is not None and not consent:
        return Refusal(
            "consent_required",
            "Confirm the statement to sign: it is what makes this your signature.",
            "consent",
        )
    return None


def sign_refusal(
    agreement: Agreement,
    user: Any,
    checker: Any = None,
    *,
    full_name: str | None = None,
    role_title: str | None = None,
    consent: bool | None = None,
) -> Refusal | None:
    """The partner's signature. The move itself is judged without its input
    (the signature is made only once this passes, then the move is judged with
    it); the name, role and consent typed are judged here."""
    return first(
        agreement_step_refusal(agreement, "sign", user, checker, offering=True),
        _signature_given(full_name, role_title, consent),
    )


def countersign_refusal(
    agreement: Agreement,
    user: Any,
    checker: Any = None,
    *,
    full_name: str | None = None,
    role_title: str | None = None,
    consent: bool | None = None,
) -> Refusal | None:
    """The HLO's countersignature."""
    return first(
        agreement_step_refusal(agreement, "countersign", user, checker, offering=True),
        _signature_given(full_name, role_title, consent),
    )


# ── payments ─────────────────────────────────────────────────────────────────

# An instalment's moves: the status it is taken from and the one it reaches.
INSTALMENT_MOVES = {
    "mark_due": (InstalmentStatus.SCHEDULED, InstalmentStatus.DUE),
    "approve": (InstalmentStatus.DUE, InstalmentStatus.APPROVED),
    "paid": (InstalmentStatus.APPROVED, InstalmentStatus.PAID),
}


def instalment_refusal(instalment, action: str, user: Any, checker: Any = None):
    """Marking an instalment due (HLO staff, or a report accepted), approving
    it for payment (the approving body), recording it paid (HLO staff)."""
    agreement = instalment.agreement
    who, hub = _who(user, checker), agreement.hub
    if action not in INSTALMENT_MOVES:
        return Refusal("unknown_action", "Choose what to do.")
    if action == "mark_due":
        role = officer_refusal(who, agreement.commission, "mark an instalment due")
    elif action == "approve" and not who.has_perm("hubs.approve_commissions", hub):
        body = agreement.commission.policy.approving_body
        role = Refusal("approver_only", f"Payments are approved by the {body}.")
    elif action == "paid" and not who.has_perm("hubs.run_commissions", hub):
        role = Refusal("payments_officer_only", "Only HLO staff record payments.")
    else:
        role = None
    if role is not None:
        return role
    if agreement.status != A.SIGNED:
        return Refusal("not_signed", "Payments begin once the agreement is signed by both parties.")
    source, _ = INSTALMENT_MOVES[action]
    if instalment.status == source:
        return None
    words = {
        "mark_due": f"This instalment is already {instalment.get_status_display()}.",
        "approve": "Only an instalment that is due can be approved for payment.",
        "paid": "An instalment is paid once it has been approved for payment.",
    }
    return Refusal("wrong_instalment_status", words[action])


def schedule_refusal(agreement: Agreement) -> Refusal | None:
    if "_instalments" not in agreement.__dict__:  # read once, however often it is asked
        agreement.__dict__["_instalments"] = list(agreement.instalments.all())
    problems = payments.schedule_problems(
        basis=agreement.payment_basis,
        instalments=agreement.__dict__["_instalments"],
        grant=agreement.grant_amount,
        capital=agreement.capital_amount,
    )
    if problems:
        return Refusal(
            "payment_schedule", "The payment schedule does not add up: " + " ".join(problems)
        )
    return None


# ── rules for the commission's moves (commissioning/hooks.py) ────────────────


def agreements_read(commission: Commission) -> list[Agreement]:
    """The commission's agreements, every period, read once per commission
    object: a page asks several rules about the first and lists them all,
    and a service asks them of the row it has just locked, so what is read
    is never stale."""
    cache = commission.__dict__
    if "_agreements" not in cache:
        agreements = list(Agreement.objects.filter(commission=commission).order_by("period_number"))
        for agreement in agreements:
            agreement.commission = commission  # the object asked about, not a second read
        cache["_agreements"] = agreements
    return cache["_agreements"]


def first_agreement_of(commission: Commission) -> Agreement | None:
    return next((a for a in agreements_read(commission) if a.period_number == 1), None)


def agreement_of(ctx) -> Agreement | None:
    """The agreement a move is about: the renewal it is made on, or the
    commission's first agreement."""
    if isinstance(ctx.subject, Agreement):
        return ctx.subject
    return first_agreement_of(ctx.commission)


def commission_needs_agreement(ctx) -> Refusal | None:
    """send_to_board and submit_for_approval: the draft is its agreement."""
    agreement = agreement_of(ctx)
    if agreement is None:
        return Refusal(
            "agreement_required",
            "Draft the partnership agreement first: it is what the board and the approver read.",
        )
    return schedule_refusal(agreement)


def agreement_awaits_partner(ctx) -> Refusal | None:
    """sign: the agreement is issued and the partner has not yet signed it."""
    agreement = agreement_of(ctx)
    if agreement is None or agreement.status not in (A.ISSUED, A.PARTNER_SIGNED, A.SIGNED):
        return Refusal(
            "agreement_not_issued",
            "The partner signs the partnership agreement once it has been approved and issued.",
        )
    given = ctx.params.get("signature")
    others = agreement.signatures.filter(party=SigningParty.PARTNER)
    if given is not None:
        others = others.exclude(pk=given.pk)
    if agreement.status != A.ISSUED or others.exists():
        return Refusal("already_signed", "The partner has already signed this agreement.")
    return None


@needs_input
def signed_on_its_page(ctx) -> Refusal | None:
    """sign and countersign: the move carries the signature just given on the
    agreement's signing page (name, role, consent), by this person for their
    party; the commission's move form cannot make it."""
    party = SigningParty.PARTNER if ctx.action == "sign" else SigningParty.HLO
    given, agreement = ctx.params.get("signature"), agreement_of(ctx)
    if (
        given is not None
        and agreement is not None
        and given.agreement_id == agreement.pk
        and given.user_id == ctx.user.pk
        and given.party == party
    ):
        return None
    return Refusal(
        "signing_page",
        "The partner signs the partnership agreement on its signing page, and the Hub Lead "
        "Organisation countersigns there; the partnership then begins.",
    )


def partner_signed_first(ctx) -> Refusal | None:
    """countersign: the partner has signed, and someone else countersigns
    (where the HLO delivers, a colleague signs as the partner)."""
    agreement = agreement_of(ctx)
    signature = None
    if agreement is not None and agreement.status == A.PARTNER_SIGNED:
        signature = agreement.signatures.filter(party=SigningParty.PARTNER).first()
    if signature is None:
        return Refusal(
            "partner_signs_first",
            "The partner signs first; the Hub Lead Organisation then countersigns.",
        )
    if signature.user_id == ctx.user.pk:
        return Refusal(
            "different_countersigner",
            "You signed for the delivery partner, so a different person must countersign "
            "for the Hub Lead Organisation.",
        )
    return None


def named_signatory(ctx) -> Refusal | None:
    """countersign: where the agreement names the HLO's signatory by role,
    only someone holding that role in the hub countersigns."""
    agreement = agreement_of(ctx)
    role = (agreement.hlo_signatory_role if agreement is not None else "").strip()
    if not role:
        return None
    holds = Membership.objects.filter(
        hub_id=ctx.commission.hub_id, user_id=ctx.user.pk, title__iexact=role
    ).exists()
    if holds:
        return None
    hlo = ctx.commission.hub.hlo_name or ctx.commission.hub.name
    name = f" ({agreement.hlo_signatory_name})" if agreement.hlo_signatory_name else ""
    return Refusal(
        "named_signatory",
        f"This agreement names the {role}{name} as the signatory for {hlo}; ask them to "
        "countersign.",
    )
