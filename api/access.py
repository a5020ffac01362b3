"""The API's door to a hub: the token's own hub, then the pages' helper.

A token is for one hub: a request under any other hub's slug is a 404, as a
hub you have no part in is on the pages. Inside its hub, the person's
standing is read by `hubs.access.hub_access`, exactly as every page reads it
(so a person whose role was taken away gets 404s, token or not).
"""

from __future__ import annotations

from django.http import Http404

from api.models import ApiToken
from hubs.access import HubAccess, hub_access


def api_hub_access(request, hub_slug: str) -> HubAccess:
    token = request.auth
    if not isinstance(token, ApiToken) or token.hub.slug != hub_slug:
        raise Http404("No such hub")
    return hub_access(request, hub_slug)
