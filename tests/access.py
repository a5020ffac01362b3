"""The access matrix's shared parts: the personas, and running one URL for
each of them. Any test module may define

    ACCESS_MATRIX = {url name: (method, {persona: expected status})}

and a test that calls `assert_matrix`; tests/test_url_matrix.py fails when a
URL pattern of ours is in no module's ACCESS_MATRIX."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.auth_helpers import sign_in

PERSONAS = [
    "anonymous",
    "hlo_staff",
    "approver",
    "board_member",
    "service_lead",
    "other_area_lead",
    "partner_contact",
    "other_partner",
    "hub_admin",
    "outsider",
    "superuser",
]
ALL_200 = dict.fromkeys(PERSONAS, 200)
LOGIN = 302  # anonymous visitors are sent to sign in


def members(ok: int, *, outsider: int = 404, **overrides: int) -> dict[str, int]:
    """A row for a page of the hub: signed-in members get `ok`, a member of
    another hub 404, the anonymous a redirect to sign in."""
    row = dict.fromkeys(PERSONAS, ok)
    row |= {"anonymous": LOGIN, "outsider": outsider, **overrides}
    return row


def personas(blmk, herts, django_user_model) -> dict[str, Any]:
    """The people of the matrix, from the BLMK demo hub (which has every
    role, service leads included) and Hertfordshire as "another hub"."""
    superuser = django_user_model.objects.filter(is_superuser=True).first()
    if superuser is None:
        superuser = django_user_model.objects.create_superuser(
            "root@example.org", "root@example.org", "x-unused-password"
        )
    return {
        "anonymous": None,
        "hlo_staff": blmk.officer,
        "approver": blmk.approver,
        "board_member": blmk.board[0],
        "service_lead": blmk.leads["Luton"],
        "other_area_lead": blmk.leads["Bedford Borough"],
        "partner_contact": blmk.contacts[blmk.partners["lutonms"].pk],
        "other_partner": blmk.contacts[blmk.partners["mkrock"].pk],
        "hub_admin": blmk.admin,
        "outsider": herts.officer,
        "superuser": superuser,
    }


def assert_matrix(
    people: dict[str, Any],
    url_name: str,
    args: list,
    method: str,
    expected: dict[str, int],
    body: dict | None = None,
) -> None:
    """Request the URL as every persona, each from the same starting state
    (whatever a POST changed is rolled back), and compare all statuses."""
    url = reverse(url_name, args=args)
    got = {}
    for persona in PERSONAS:
        client = Client()
        if people[persona] is not None:
            sign_in(client, people[persona])
        sid = transaction.savepoint()
        response = getattr(client, method)(url, body or {})
        transaction.savepoint_rollback(sid)
        got[persona] = response.status_code
    assert got == {p: expected[p] for p in PERSONAS}, url_name
