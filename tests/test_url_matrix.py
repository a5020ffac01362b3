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
from tests.api.matrix import api_keys, api_row, assert_api_matrix

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
    # Compliance records (compliance/urls.py): one of Luton Music Service's,
    # waiting to be verified. Internal people see it; a partner its own.
    "compliance:records": ("get", members(200)),
    "compliance:record_add": (
        "get",
        members(200, approver=403, board_member=403, hub_admin=403),
    ),
    "compliance:record": ("get", members(200, other_partner=404)),
    "compliance:record_document": ("get", members(200, other_partner=404)),
    "compliance:record_verify": (
        "post",
        members(
            302,
            approver=403,
            board_member=403,
            other_area_lead=403,
            partner_contact=403,
            other_partner=404,
            hub_admin=403,
        ),
    ),
    "accounts:keep_alive": ("post", {**dict.fromkeys(PERSONAS, 204), "anonymous": LOGIN}),
    "admin:index": (
        "get",
        {**dict.fromkeys(PERSONAS, 302), "hub_admin": 200, "superuser": 200},
    ),
    # The API (api/urls.py): its document is public; a page's session is no
    # way into its endpoints (401 for everyone). API_MATRIX below, with tokens.
    "api:schema": ("get", ALL_200),
    **{
        f"api:{name}": (
            "post" if name.endswith(("_paid", "_submit")) else "get",
            dict.fromkeys(PERSONAS, 401),
        )
        for name in (
            "commissions",
            "commission",
            "partners",
            "partner",
            "calls",
            "call",
            "agreements",
            "agreement",
            "payments",
            "payment",
            "payment_paid",
            "reports",
            "report",
            "report_submit",
            "register",
            "register_entry",
        )
    },
}

# Each API endpoint with a token of the persona's own (tests/api/matrix.py):
# the same answers as the pages give, 404 for what is not theirs to see.
SEEN = api_row(200, other_area_lead=404, other_partner=404)
API_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "api:commissions": ("get", api_row(200)),
    "api:commission": ("get", SEEN),
    "api:partners": ("get", api_row(200)),
    "api:partner": ("get", api_row(200, other_partner=404)),
    "api:calls": ("get", api_row(200)),
    "api:call": ("get", SEEN),  # open in Luton: not Bedford's lead, nor a partner elsewhere
    "api:agreements": ("get", api_row(200)),
    "api:agreement": ("get", SEEN),
    "api:payments": ("get", api_row(200)),
    "api:payment": ("get", SEEN),
    "api:payment_paid": (
        "post",
        api_row(
            404,
            hlo_staff=200,
            approver=403,
            service_lead=403,
            hub_admin=403,
        ),
    ),
    "api:reports": ("get", api_row(200)),
    "api:report": ("get", SEEN),
    "api:report_submit": ("post", api_row(404, partner_contact=200)),
    "api:register": ("get", api_row(200)),
    "api:register_entry": ("get", api_row(200)),
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
    record = _compliance_record(blmk)
    args |= {
        "compliance:records": [blmk.hub.slug],
        "compliance:record_add": [blmk.hub.slug],
        **{
            name: [blmk.hub.slug, record.pk]
            for name in (
                "compliance:record",
                "compliance:record_document",
                "compliance:record_verify",
            )
        },
    }
    bodies = {"commissioning:move": {"action": "complete", "reason": "Final evaluation in."}}
    return personas(blmk, herts, django_user_model), args, bodies


def _compliance_record(blmk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import ComplianceRecordFactory

    return ComplianceRecordFactory(
        partner=blmk.partners["lutonms"],
        added_by=blmk.contacts[blmk.partners["lutonms"].pk],
        verified_by=None,
        verified_at=None,
        document=SimpleUploadedFile("schedule.pdf", b"%PDF-1.4\n%%EOF\n"),
        document_name="schedule.pdf",
        document_type="application/pdf",
    )


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    args = args.get(url_name) or _api_args(people, url_name)
    assert_matrix(people, url_name, args, method, expected, bodies.get(url_name))


def test_every_api_endpoint_is_in_the_api_matrix():
    endpoints = {n for n in _our_url_names() if n.startswith("api:")} - {"api:schema"}
    assert endpoints == set(API_MATRIX)


def _api_args(people, url_name: str) -> list:
    """BLMK's objects for an API URL: the live partnership, its agreement, its
    first instalment (approved, so HLO staff may record it paid), a report
    still due, and a call."""
    if not url_name.startswith("api:") or url_name == "api:schema":
        return []
    from agreements import services as ag
    from agreements.models import Agreement, InstalmentStatus
    from commissioning.models import Call
    from monitoring.models import Report, ReportStatus

    agreement = Agreement.objects.filter(hub__slug="blmk", status="signed").latest("pk")
    commission = agreement.commission
    instalment = agreement.instalments.order_by("position").first()
    if instalment.status == InstalmentStatus.DUE:
        approver = people["approver"]
        ag.instalment_approve(instalment=instalment, user=approver)
    report = Report.objects.filter(commission=commission, status=ReportStatus.DUE).first()
    call = Call.objects.filter(hub__slug="blmk").first() or _open_call(people, commission)
    hub = commission.hub.slug
    ids = {
        "commission": [commission.reference],
        "partner": [commission.partner_id],
        "call": [call.pk if call else 0],
        "agreement": [agreement.pk],
        "payment": [instalment.pk],
        "payment_paid": [instalment.pk],
        "report": [report.pk],
        "report_submit": [report.pk],
        "register_entry": [commission.reference],
    }
    return [hub, *ids.get(url_name.removeprefix("api:"), [])]


def _open_call(people, beside):
    """An open call in the partnership's service area, published as an officer would."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from commissioning import services as cs
    from commissioning.calls import services as calls
    from commissioning.models import Route

    officer = people["service_lead"]
    c = cs.commission_open(
        need=beside.need,
        user=officer,
        title="Ensembles for all",
        description="An open call.",
        service_area=beside.service_area,
        service_category=beside.service_category,
        hub_grant_amount=Decimal(5000),
    )
    cs.commission_begin_identification(
        commission=c,
        user=officer,
        route=Route.OPEN_CALL,
        reason="No existing partner offers this; the needs analysis found the gap.",
    )
    now = timezone.now()
    return calls.call_publish(
        commission=c,
        user=officer,
        title="Ensembles for all: call for expressions of interest",
        summary="Ensembles for all.",
        eligibility="Organisations working with children.",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=21),
    )


REPORT_ANSWERS = {
    "activities": "Weekly sessions.",
    "outcomes": "A concert.",
    "participants": 12,
    "recommendations": "Carry on.",
}


@pytest.mark.parametrize("url_name", sorted(API_MATRIX))
def test_api_access_matrix(world, url_name):
    people, _, _ = world
    method, expected = API_MATRIX[url_name]
    args = _api_args(people, url_name)
    body = REPORT_ANSWERS if url_name == "api:report_submit" else {}
    assert_api_matrix(api_keys(people), url_name, args, method, expected, body)
