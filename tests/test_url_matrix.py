"""Every URL pattern of ours, for every role, in its own hub and in another.

The expected status of each cell is written out below; the suite fails when a
URL pattern exists that this matrix does not cover. Third-party URLs (the
Django admin, allauth) are covered by their own tests; the admin index is in
the matrix as a spot check.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commissioning.workflow import Stage
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

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
LOGIN = 302  # anonymous users are sent to sign in


def members(ok: int, *, outsider: int = 404, **overrides: int) -> dict[str, int]:
    row = dict.fromkeys(PERSONAS, ok)
    row |= {"anonymous": LOGIN, "outsider": outsider, **overrides}
    return row


# url name: (method, expected status per persona)
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("get", {**dict.fromkeys(PERSONAS, 302), "anonymous": 200, "superuser": 200}),
    "healthz": ("get", ALL_200),
    "accessibility": ("get", ALL_200),
    "hubs:index": ("get", ALL_200),
    "hubs:policy": ("get", ALL_200),
    "commissioning:dashboard": ("get", members(200)),
    "commissioning:list": ("get", members(200)),
    "commissioning:detail": (
        "get",
        members(200, other_area_lead=404, other_partner=404),
    ),
    "commissioning:move": (
        "post",
        members(
            302,
            approver=403,
            board_member=403,
            partner_contact=403,
            hub_admin=403,
            other_area_lead=404,
            other_partner=404,
        ),
    ),
    "accounts:keep_alive": ("post", {**dict.fromkeys(PERSONAS, 204), "anonymous": LOGIN}),
    "admin:index": (
        "get",
        {**dict.fromkeys(PERSONAS, 302), "hub_admin": 200, "superuser": 200},
    ),
}


def _our_url_names() -> set[str]:
    """Named URL patterns of this project (not the admin's or allauth's)."""
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or p.urlconf_module.__name__.startswith("allauth"):
                    continue
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                if p.callback.__module__.startswith(("allauth", "django.")):
                    continue
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_pattern_is_in_the_matrix():
    missing = _our_url_names() - set(MATRIX)
    assert not missing, f"URL patterns without a row in the access matrix: {sorted(missing)}"


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    p = pipeline(blmk)
    commission = p._open("Luton ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
        step(commission)
    commission.refresh_from_db()
    assert commission.status == Stage.MONITORING
    people = {
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
        "superuser": django_user_model.objects.get(is_superuser=True)
        if django_user_model.objects.filter(is_superuser=True).exists()
        else django_user_model.objects.create_superuser(
            "root@example.org", "root@example.org", "x-unused-password"
        ),
    }
    args = {
        "hubs:policy": [blmk.hub.slug],
        "commissioning:dashboard": [blmk.hub.slug],
        "commissioning:list": [blmk.hub.slug],
        "commissioning:detail": [blmk.hub.slug, commission.reference],
        "commissioning:move": [blmk.hub.slug, commission.reference],
    }
    bodies = {"commissioning:move": {"action": "complete", "reason": "Final evaluation in."}}
    return people, args, bodies


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = MATRIX[url_name]
    url = reverse(url_name, args=args.get(url_name, []))
    got = {}
    for persona in PERSONAS:
        client = Client()
        if people[persona] is not None:
            sign_in(client, people[persona])
        # Each persona starts from the same state: undo whatever a POST did.
        sid = transaction.savepoint()
        response = getattr(client, method)(url, bodies.get(url_name, {}))
        transaction.savepoint_rollback(sid)
        got[persona] = response.status_code
    assert got == {p: expected[p] for p in PERSONAS}
