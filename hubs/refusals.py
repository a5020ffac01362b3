"""The one refusal vocabulary every app speaks.

A rule that says no returns a `Refusal`: the rule's slug (stable, for tests
and for deciding the HTTP status), the words a hub officer reads, the form
field it belongs beside, and whether it only *waits* (the person may take the
step later, for example once a comment window closes). A service that refuses
raises `Refused`; a page asks the same `<thing>_refusal(...)` function the
service asks, so it never offers what the service would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NoReturn

# Refusals that mean "this is not yours to do" rather than "not like this":
# pages answer them 403 instead of 400.
ROLE_RULES = frozenset(
    {
        "officer_only",
        "approver_only",
        "chair_decides",
        "partner_only",
        "partner_signs",
        "board_only",
        "not_on_panel",
        "recused",
        "named_signatory",
        "payments_officer_only",
        "countersigner_only",
        # The policy's own life (hubs/policy_life/rules.py).
        "policy_keeper_only",
        "not_policy_body",
        "separate_decider",
        "staff_or_admin_only",
        # Compliance records (compliance/rules.py).
        "partner_or_staff_only",
        "staff_verify",
        # Joint bids (commissioning/rules/joint.py, agreements/joint_rules.py).
        "lead_contact_only",
        "co_applicant_contact_only",
        "co_signatory_only",
    }
)


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str
    field: str | None = None
    waits: bool = False

    def __str__(self) -> str:
        return self.message

    def at(self, field: str | None) -> Refusal:
        """The same refusal, placed beside another form field."""
        return replace(self, field=field)

    @property
    def is_role(self) -> bool:
        return self.rule in ROLE_RULES


class Refused(Exception):
    """A write refused by a rule; carries the Refusal."""

    def __init__(self, refusal: Refusal | Sequence[Refusal]) -> None:
        # Several refusals at once (a form with many problems): the first is
        # the one a single message shows; `refusals` has them all.
        refusals = [refusal] if isinstance(refusal, Refusal) else list(refusal)
        super().__init__(refusals[0].message)
        self.refusal = refusals[0]
        self.refusals = refusals

    @property
    def rule(self) -> str:
        return self.refusal.rule

    @property
    def message(self) -> str:
        return self.refusal.message

    @property
    def field(self) -> str | None:
        return self.refusal.field

    @property
    def status(self) -> int:
        """The HTTP status a page answers with."""
        return 403 if self.refusal.is_role else 400


def refuse(rule: str, message: str, field: str | None = None) -> NoReturn:
    raise Refused(Refusal(rule, message, field))


def first(*refusals: Refusal | None) -> Refusal | None:
    return next((r for r in refusals if r is not None), None)


def raise_first(*refusals: Refusal | None) -> None:
    """Raise the first refusal given, if any (the service's half of a gate)."""
    refusal = first(*refusals)
    if refusal is not None:
        raise Refused(refusal)
