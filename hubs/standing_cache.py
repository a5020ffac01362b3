"""The fixed cost of every hub page, kept in the cache: the person's standing
in the hub (hubs.access.hub_access) and their unread count (notices).

Django's cache: memory in one process on the embedded default, Redis when
CACHE_URL is set (production.py falls back to REDIS_URL). Several web
processes must share one cache, as the sign-in rate limits already require.

Each value is stored under a key that names *generations*: random tokens kept
in the cache, one per person for their standing ("standing:<user id>"), one
per person for their notifications ("notices:<user id>") and one for all hubs
("hubs"). A write that changes what a value was read from gives the token a
new value (`renew`) at once, and again when its transaction commits, so the
next request asks for a key nobody has written and reads the database.
Values are never deleted: a request that read the database just before the
commit stores what it read under the old token, which nobody asks for again.

A cache that does not answer is not an error: the page reads the database.
If the cache was down while a role changed, the stale standing it still holds
can live at most TIMEOUT seconds; the person's next request after that reads
the database.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

TIMEOUT = 5 * 60  # a standing or a count, in seconds
TOKEN_TIMEOUT = 24 * 60 * 60  # a lost token is replaced by a new one: a miss, never stale
HUBS = "hubs"


def standing(user_id: int) -> str:
    return f"standing:{user_id}"


def notices(user_id: int) -> str:
    return f"notices:{user_id}"


def _key(name: str) -> str:
    return f"gen:{name}"


def _new() -> str:
    return secrets.token_hex(8)


def tokens(names: Iterable[str]) -> dict[str, str] | None:
    """The current token of each generation (made if missing), in one round
    trip when all exist; None if the cache does not answer."""
    keys = {name: _key(name) for name in names}
    try:
        found = cache.get_many(list(keys.values()))
        result = {}
        for name, key in keys.items():
            token = found.get(key)
            if token is None:
                token = _new()
                if not cache.add(key, token, TOKEN_TIMEOUT):
                    token = cache.get(key) or token
            result[name] = token
        return result
    except Exception:  # any cache failure: the database answers instead
        log.warning("Cache unavailable: reading hub standing from the database", exc_info=True)
        return None


def get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:
        log.warning("Cache unavailable: get %s", key, exc_info=True)
        return None


def put(key: str, value: Any) -> None:
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        log.warning("Cache unavailable: set %s", key, exc_info=True)


def renew(names: Iterable[str]) -> None:
    """New tokens for these generations: now (for reads later in the same
    transaction) and after the commit (for requests that read the database
    before it)."""
    names = sorted(set(names))
    if not names:
        return

    def _renew() -> None:
        try:
            cache.set_many({_key(name): _new() for name in names}, TOKEN_TIMEOUT)
        except Exception:
            log.error("Cache unavailable: could not renew %s", names, exc_info=True)

    _renew()
    transaction.on_commit(_renew)


# ── writes that happen in more than one place ───────────────────────────────
# Roles are granted only by hubs.services (which renews); these catch the rows
# that go with something else: a service area, a partner organisation, a
# user or a hub deleted (cascades), a hub renamed, or a grant made by hand.
def _renew_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    renew([standing(instance.user_id)])


def _renew_hubs(sender: Any, instance: Any, **kwargs: Any) -> None:
    renew([HUBS])


def connect() -> None:
    """Called once from HubsConfig.ready()."""
    from django.db.models.signals import post_delete, post_save

    from hubs.models import (
        Hub,
        HubUserObjectPermission,
        Membership,
        ServiceAreaUserObjectPermission,
    )

    for model in (Membership, HubUserObjectPermission, ServiceAreaUserObjectPermission):
        for signal in (post_save, post_delete):
            signal.connect(_renew_user, sender=model, dispatch_uid=f"standing-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_renew_hubs, sender=Hub, dispatch_uid="standing-hub")
