"""Demo reminders: one sweep after the hubs are loaded, so feeds show what
the demo's dates make due (every demo policy's review date has passed).
Idempotent: a reminder already recorded is never sent again."""

from __future__ import annotations

from notices.reminders import reminders_sweep


def load() -> int:
    return reminders_sweep()
