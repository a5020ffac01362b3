"""Every URL pattern of ours, for every role, in its own hub and in another.

The expected status of each cell is written out below; the suite fails when a
URL pattern exists that this matrix does not cover. Third-party URLs (the
Django admin, allauth) are covered by their own tests; the admin index is in
the matrix as a spot check.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from commissioning.workflow import Stage
from tests.access import ALL_200, LOGIN, PERSONAS, assert_matrix, members, personas

pytestmark = pytest.mark.django_db

# url name: (method, expected status per persona)
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
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


def _covered() -> set[str]:
    """URL names in the ACCESS_MATRIX of any test module."""
    covered: set[str] = set()
    tests_dir = Path(__file__).parent
    for path in tests_dir.rglob("test_*.py"):
        if "ACCESS_MATRIX" not in path.read_text():
            continue
        module = ".".join(path.relative_to(tests_dir.parent).with_suffix("").parts)
        covered |= set(importlib.import_module(module).ACCESS_MATRIX)
    return covered


def test_every_url_pattern_is_in_an_access_matrix():
    missing = _our_url_names() - _covered()
    assert not missing, f"URL patterns without a row in any ACCESS_MATRIX: {sorted(missing)}"


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    p = pipeline(blmk)
    commission = p._open("Luton ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
        step(commission)
    p._final_evaluation_accepted(commission)  # so completing is allowed
    commission.refresh_from_db()
    assert commission.status == Stage.MONITORING
    args = {
        "hubs:policy": [blmk.hub.slug],
        "commissioning:dashboard": [blmk.hub.slug],
        "commissioning:list": [blmk.hub.slug],
        "commissioning:detail": [blmk.hub.slug, commission.reference],
        "commissioning:move": [blmk.hub.slug, commission.reference],
    }
    bodies = {"commissioning:move": {"action": "complete", "reason": "Final evaluation in."}}
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args.get(url_name, []), method, expected, bodies.get(url_name))
