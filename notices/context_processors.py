"""The unread count in the header of hub pages: kept in the cache until the
person is told or reads something (notices.selectors.unread_count_cached),
else one query, and only on a page that shows it (the value is lazy)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notices.selectors import UNREAD_CAP, unread_count_cached


def unread(request: HttpRequest) -> dict:
    """`notices_unread`: "" when nothing is unread, else "3" or "99+"."""

    def label() -> str:
        access = getattr(request, "hub_access", None)
        if access is None or not request.user.is_authenticated:
            return ""
        count = unread_count_cached(
            user=request.user, hub=access.hub, gens=getattr(request, "hub_cache_tokens", None)
        )
        if count > UNREAD_CAP:
            return f"{UNREAD_CAP}+"
        return str(count) if count else ""

    return {"notices_unread": SimpleLazyObject(label)}
