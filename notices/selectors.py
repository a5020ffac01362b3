"""Reads for notices: a person's feed, their unread count, their preference."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hubs import standing_cache
from hubs.models import Hub
from notices.models import Notification

UNREAD_CAP = 99  # the header shows "99+" beyond this; counting further is wasted work


def feed_for(*, user: Any, hub: Hub) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, hub=hub).order_by("-created_at", "-pk")


def unread_count(*, user: Any, hub: Hub) -> int:
    unread = Notification.objects.filter(user=user, hub=hub, read_at__isnull=True)
    return unread.values("pk")[: UNREAD_CAP + 1].count()


def unread_count_cached(*, user: Any, hub: Hub, gens: dict[str, str] | None = None) -> int:
    """`unread_count` kept in the cache (hubs.standing_cache) until the person
    is told something or reads something: `gens`, the tokens hub_access has
    already fetched for this request, saves a round trip."""
    mine = standing_cache.notices(user.pk)
    if not gens or mine not in gens:
        gens = standing_cache.tokens([standing_cache.HUBS, mine])
    if not gens:
        return unread_count(user=user, hub=hub)
    key = f"unread:{gens[standing_cache.HUBS]}:{gens[mine]}:{hub.pk}:{user.pk}"
    count = standing_cache.get(key)
    if count is None:
        count = unread_count(user=user, hub=hub)
        standing_cache.put(key, count)
    return count
