"""What contract management's pages share: a refusal's words beside its
field (monitoring's own helpers), and the 404 for a page that is only for
the hub's own people."""

from __future__ import annotations

from django.http import Http404

from hubs.access import HubAccess
from monitoring.views.common import error_summary, place

__all__ = ["error_summary", "internal_only", "place"]


def internal_only(access: HubAccess) -> None:
    if not access.is_internal:
        raise Http404("No such page")
