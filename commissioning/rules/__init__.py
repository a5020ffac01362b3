"""The policy's rules, each a small function of a decision's Context that
returns None or the Refusal naming it. `commissioning/policy.py` lists which
rules each move asks, in order; nothing here writes.

A rule marked `@needs_input` judges what the person typed or chose (a
partner, a reason, an amount): a page deciding what to offer skips it, and
its refusal is shown beside the field once they submit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rule = Callable[[Any], Any]  # (policy.Context) -> Refusal | None


def needs_input(rule: Rule) -> Rule:
    rule.needs_input = True  # type: ignore[attr-defined]
    return rule


def is_input_rule(rule: Rule) -> bool:
    return getattr(rule, "needs_input", False)


def text(ctx: Any, name: str) -> str:
    return str(ctx.params.get(name) or "").strip()
