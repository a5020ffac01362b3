"""The URL matrix's API half (tests/test_url_matrix.py): each persona calls
the endpoint with a token of its own, issued for its own hub (the outsider's
for Hertfordshire, so BLMK's URLs are another hub's to it), and each cell
states the status it gets. The superuser has no role in a hub, so no token
can be issued for them: with none they get 401, as the anonymous do."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from api.services import token_issue
from hubs.models import Membership
from tests.access import PERSONAS
from tests.api.conftest import TokenClient

NO_TOKEN = 401


def api_row(ok: int, **overrides: int) -> dict[str, int]:
    """Members of the hub get `ok`, the outsider 404, without a token 401."""
    row = dict.fromkeys(PERSONAS, ok)
    return row | {"anonymous": NO_TOKEN, "superuser": NO_TOKEN, "outsider": 404, **overrides}


def api_keys(people: dict[str, Any]) -> dict[str, str | None]:
    keys: dict[str, str | None] = {}
    for persona, user in people.items():
        membership = (
            Membership.objects.filter(user=user).select_related("hub").first() if user else None
        )
        if membership is None:
            keys[persona] = None
            continue
        hub = membership.hub
        admin = Membership.objects.filter(hub=hub, role="hub_admin").first().user
        keys[persona] = token_issue(hub=hub, user=user, name="Matrix", by=admin)[1]
    return keys


def assert_api_matrix(
    keys: dict[str, str | None],
    url_name: str,
    args: list,
    method: str,
    expected: dict[str, int],
    body: dict | None = None,
) -> None:
    url = reverse(url_name, args=args)
    got = {}
    for persona in PERSONAS:
        client = TokenClient(keys.get(persona))
        sid = transaction.savepoint()
        response = client.post_json(url, body) if method == "post" else client.get(url)
        transaction.savepoint_rollback(sid)
        got[persona] = response.status_code
    assert got == {p: expected[p] for p in PERSONAS}, url_name
