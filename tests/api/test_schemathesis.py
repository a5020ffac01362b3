"""The API against its own OpenAPI document (schemathesis, through the WSGI
app), on the five demo hubs: Hertfordshire's and Kent's officer, partner
contact and approver or hub admin, each with a token of their own. For every
operation, generated requests (deterministic, a few dozen each) and the
demo's own ids, of both hubs: no server error, every answer as the document
says (status, content type, body), and no answer carrying another hub's
objects (every id and reference in a body is one of the token's hub)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agreements.models import Agreement, Instalment
from api.services import token_issue
from commissioning.models import Call, Commission
from hubs.models import Hub, Membership, Role
from monitoring.models import Report
from partners.models import PartnerOrganisation
from tests import demo_db

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20
ROLES = [
    ("herts", Role.HLO_STAFF),
    ("herts", Role.PARTNER_CONTACT),
    ("herts", Role.APPROVER),
    ("kent", Role.HLO_STAFF),
    ("kent", Role.PARTNER_CONTACT),
    ("kent", Role.HUB_ADMIN),
]
# The model each endpoint's ids are of; "reference" for a commission's.
IDS = {
    "commissions": "reference",
    "register": "reference",
    "partners": PartnerOrganisation,
    "calls": Call,
    "agreements": Agreement,
    "payments": Instalment,
    "reports": Report,
}
HUB_OF = {
    PartnerOrganisation: "hub__slug",
    Call: "hub__slug",
    Agreement: "hub__slug",
    Instalment: "agreement__hub__slug",
    Report: "hub__slug",
}


@pytest.fixture
def app() -> Iterator[WSGIHandler]:
    """The WSGI app, kept from closing the test's database connection after
    each request (as Django's test client keeps it)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


def _ids(slug: str) -> dict[str, set]:
    found: dict[str, set] = {
        "reference": set(
            Commission.objects.filter(hub__slug=slug).values_list("reference", flat=True)
        )
    }
    for model, hub in HUB_OF.items():
        found[model.__name__] = set(
            model.objects.filter(**{hub: slug}).values_list("pk", flat=True)
        )
    return found


def _examples(slug: str) -> dict[str, list]:
    """Real path values to try, from this hub and the other."""
    examples: dict[str, list] = {}
    for name, model in IDS.items():
        if model == "reference":
            rows = Commission.objects.filter(hub__slug__in=["herts", "kent"]).order_by("pk")
            examples[name] = list(rows.values_list("reference", flat=True)[:40])
        else:
            rows = model.objects.filter(**{HUB_OF[model] + "__in": ["herts", "kent"]})
            examples[name] = list(rows.order_by("pk").values_list("pk", flat=True)[:40])
    return examples


def _endpoint(path: str) -> str:
    return path.split("/")[5] if path.count("/") > 5 else ""


def _assert_own(body: bytes, endpoint: str, own: dict[str, set], others: list[str]) -> None:
    text = body.decode()
    for reference in others:
        assert reference not in text, f"{endpoint}: another hub's {reference}"
    data = json.loads(text) if text.startswith("{") else {}
    rows = data.get("results", [data] if ("id" in data or "reference" in data) else [])
    model = IDS.get(endpoint)
    for row in rows:
        if model == "reference":
            assert row["reference"] in own["reference"], (endpoint, row["reference"])
        elif model is not None:
            assert row["id"] in own[model.__name__], (endpoint, row["id"])
        if "commission" in row and isinstance(row["commission"], str):
            assert row["commission"] in own["reference"], (endpoint, row["commission"])


@pytest.mark.parametrize(("slug", "role"), ROLES, ids=[f"{s}-{r}" for s, r in ROLES])
def test_every_operation_keeps_to_the_document_and_to_its_hub(demo, app, settings, slug, role):
    settings.API_RATE_LIMIT = "100000/minute"
    hub = Hub.objects.get(slug=slug)
    member = Membership.objects.filter(hub=hub, role=role).order_by("pk").first().user
    admin = Membership.objects.filter(hub=hub, role=Role.HUB_ADMIN).first().user
    _, key = token_issue(hub=hub, user=member, name="Schema", by=admin)
    headers = {"Authorization": f"Bearer {key}"}
    other = "kent" if slug == "herts" else "herts"
    own, theirs = _ids(slug), _ids(other)
    others = sorted(r for r in theirs["reference"] if not any(r in o for o in own["reference"]))
    examples = _examples(slug)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
    answered: dict[int, int] = {}

    def run(case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        answered[response.status_code] = answered.get(response.status_code, 0) + 1
        path = case.formatted_path
        if path.startswith(f"/api/v1/hubs/{slug}/") and response.status_code == 200:
            _assert_own(response.content, _endpoint(path), own, others)
        elif response.status_code < 300:
            pytest.fail(f"{case.method} {path} answered {response.status_code} to {slug}'s token")

    for result in schema.get_all_operations():
        operation = result.ok()
        endpoint = _endpoint(operation.path)
        names = {p.name for p in operation.path_parameters}
        fixed = {"hub_slug": slug}
        strategies = [operation.as_strategy(path_parameters=fixed)]
        real = [n for n in names if n in ("pk", "reference")]
        if real and examples.get(endpoint):
            values = st.sampled_from(examples[endpoint])
            strategies.append(
                values.flatmap(
                    lambda v, op=operation, name=real[0], fixed=fixed: op.as_strategy(
                        path_parameters=fixed | {name: v}
                    )
                )
            )
        strategies.append(operation.as_strategy(path_parameters={"hub_slug": other}))

        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies))
        def check(case) -> None:
            run(case)

        check()
    # Shown with -s: how the app answered this role.
    print(slug, role, dict(sorted(answered.items())))
    assert answered.get(200), "no request was answered with data"
    assert not any(code >= 500 for code in answered)


def test_the_document_names_every_endpoint(client):
    document = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    paths = set(re.findall(r"/api/v1/hubs/\{hub_slug\}/([a-z]+)/", document.text))
    assert paths == set(IDS)
