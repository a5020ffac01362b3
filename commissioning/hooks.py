"""Where apps above commissioning plug into a commission's moves.

Commissioning never imports the apps above it (agreements, monitoring). An
app that must take part in a move registers here from its AppConfig.ready:

- a *rule* for a move: checked after the policy's own rules, it returns a
  Refusal in plain words or None (e.g. "a draft goes for approval only with
  its partnership agreement");
- a *follower*: called inside the move's transaction, after the move and
  its log entry are saved, to keep the app's own rows in step (never to
  send anything: notifications go after commit);
- a *hidden move*: a move taken on the app's own page, so the generic move
  form does not offer it (signing happens on the agreement's signing page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MoveRule = Callable[[Any], Any]  # (policy.Context) -> Refusal | None
Follower = Callable[[Any, Any], None]  # (locked commission, TransitionLog) -> None

_rules: dict[str, list[MoveRule]] = {}
_followers: list[Follower] = []
_hidden: set[str] = set()


def add_rule(action: str, rule: MoveRule) -> None:
    rules = _rules.setdefault(action, [])
    if rule not in rules:
        rules.append(rule)


def add_follower(follower: Follower) -> None:
    if follower not in _followers:
        _followers.append(follower)


def hide_move(action: str) -> None:
    _hidden.add(action)


def rules_for(action: str) -> list[MoveRule]:
    return list(_rules.get(action, []))


def followers() -> list[Follower]:
    return list(_followers)


def is_hidden(action: str) -> bool:
    return action in _hidden
