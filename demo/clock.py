"""The demo's clock: each step of the demo's history is played on its own day.

The services stamp what they write with `django.utils.timezone.now()`, and
the history they write cannot be edited afterwards (the transition log, the
decision records and a call's changes are append-only, enforced by database
triggers). So rather than rewrite dates after the event, `load_demo` plays
each step at the moment the story says it happened: inside `running()`,
`set_day(...)` moves the time that `timezone.now()` reports, and the real
service then makes the step, its refusals asked at that moment, exactly as
an officer working on that day would have. Every moment is worked out from
the day of the load with fixed offsets, and each call for the time moves it
on by a fixed 10 ms, so a load is the same history whenever it runs.

Outside `running()` (the tests that drive the Pipeline themselves) nothing
changes: `set_day` and `later` do nothing and the time is the real time.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterator
from datetime import date, time, timedelta

from django.utils import timezone as _timezone

_Real = _dt.datetime
TICK = timedelta(milliseconds=10)
# The demo hubs, their people and partners were set up this long before the load.
SET_UP_DAYS_AGO = 560


class _Kind(type):
    # isinstance(a real datetime, the stand-in) stays true for Django's checks.
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, _Real)

    def __subclasscheck__(cls, sub) -> bool:
        return issubclass(sub, _Real)


class _PlayedDatetime(_Real, metaclass=_Kind):
    moment: _Real | None = None  # aware, UTC

    @classmethod
    def now(cls, tz=None):
        if cls.moment is None:
            return _Real.now(tz)
        cls.moment += TICK
        moment = cls.moment
        return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)


_today: date | None = None


@contextlib.contextmanager
def running() -> Iterator[None]:
    """Within this block the demo's clock may be moved (load_demo's body)."""
    global _today
    _today = _timezone.localdate()
    saved = _timezone.datetime
    _timezone.datetime = _PlayedDatetime
    try:
        yield
    finally:
        _timezone.datetime = saved
        _PlayedDatetime.moment = None
        _today = None


def is_running() -> bool:
    return _today is not None


def today() -> date:
    """The day of the load (the real day, whatever the clock shows)."""
    return _today or _timezone.localdate()


def set_day(days_ago: int, hour: int = 10) -> None:
    """Play what follows `days_ago` days before the load, from `hour` o'clock."""
    if _today is None:
        return
    day = _today - timedelta(days=days_ago)
    local = _timezone.make_aware(_Real.combine(day, time(hour)))
    _PlayedDatetime.moment = local.astimezone(_dt.UTC)


def later(days: int = 0, hours: int = 0) -> None:
    """Move the clock on within a step (a board's two weeks, a countersignature)."""
    if _today is None or _PlayedDatetime.moment is None:
        return
    _PlayedDatetime.moment += timedelta(days=days, hours=hours)


def now_playing() -> None:
    """Back to the real time (the reminders sweep, what the load did today)."""
    _PlayedDatetime.moment = None
