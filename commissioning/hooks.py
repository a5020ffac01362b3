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
  form does not offer it (signing happens on the agreement's signing page);
- a *to-do source*: given a person's HubAccess, a dict of task name to a Q
  over commissions, merged into what waits on them (a task of the same name
  replaces commissioning's own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MoveRule = Callable[[Any], Any]  # (policy.Context) -> Refusal | None
Follower = Callable[[Any, Any], None]  # (locked commission, TransitionLog) -> None
TodoSource = Callable[[Any], dict]  # (HubAccess) -> {task name: Q over commissions}

_rules: dict[str, list[MoveRule]] = {}
_followers: list[Follower] = []
_hidden: set[str] = set()
_todo_sources: list[TodoSource] = []


def add_rule(action: str, rule: MoveRule) -> None:
    rules = _rules.setdefault(action, [])
    if rule not in rules:
        rules.append(rule)


def add_follower(follower: Follower) -> None:
    if follower not in _followers:
        _followers.append(follower)


def hide_move(action: str) -> None:
    _hidden.add(action)


def add_todo_source(source: TodoSource) -> None:
    if source not in _todo_sources:
        _todo_sources.append(source)


def todo_sources() -> list[TodoSource]:
    return list(_todo_sources)


def rules_for(action: str) -> list[MoveRule]:
    return list(_rules.get(action, []))


def followers() -> list[Follower]:
    return list(_followers)


def is_hidden(action: str) -> bool:
    return action in _hidden
