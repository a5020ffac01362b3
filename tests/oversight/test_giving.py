"""The 360Giving export: valid against the shared schema for every demo hub,
org-ids from what partners' records hold, no personal data, streamed fast."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from commissioning.models import Commission
from commissioning.workflow import Stage
from demo.stories import title as demo_title
from oversight import giving
from oversight.models import GivingPublisher
from oversight.selectors import PUBLISHED_STAGES
from partners.models import OrganisationType
from tests.conftest import POLICY_SLUGS
from tests.oversight.giving_schema import codes, csv_to_grants, errors

pytestmark = pytest.mark.django_db


def _streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def _demo(build, pipeline, slug):
    cast = build(slug)
    pipeline(cast).run()
    return cast


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_every_demo_hub_exports_valid_360giving_json_and_csv(build, pipeline, slug):
    cast = _demo(build, pipeline, slug)
    client = Client()  # the files are public: no sign-in
    package = json.loads(_streamed(client.get(reverse("oversight:giving_json", args=[slug]))))
    assert errors(package) == []
    published = Commission.objects.filter(hub=cast.hub, status__in=PUBLISHED_STAGES).count()
    assert len(package["grants"]) == published > 0

    rows = csv_to_grants(_streamed(client.get(reverse("oversight:giving_csv", args=[slug]))))
    assert errors({"grants": rows}) == []
    assert [g["id"] for g in rows] == [g["id"] for g in package["grants"]]

    regrant_codes = codes("regrantType.csv")
    for grant in package["grants"]:
        assert grant["id"].startswith("360G-")
        assert grant["regrantType"] in regrant_codes
        assert grant["fundingOrganization"] == [{"id": cast.hub.org_id, "name": cast.hub.hlo_name}]
        assert grant["currency"] == "GBP"


def test_only_approved_awards_are_exported(build, pipeline):
    cast = _demo(build, pipeline, "herts")
    ids = {g["id"] for g in giving.grants(cast.hub)}
    prefix = giving.Publisher(cast.hub).prefix
    for c in Commission.objects.filter(hub=cast.hub):
        exported = f"{prefix}-{c.reference}" in ids
        # Issued onward only: not a draft, one with the board, one awaiting
        # approval (it may yet be refused) or one withdrawn.
        assert exported == (c.status in PUBLISHED_STAGES), (c.reference, c.status)
    unapproved = [Stage.DRAFT, Stage.BOARD_COMMENT, Stage.APPROVAL, Stage.WITHDRAWN]
    held = Commission.objects.filter(hub=cast.hub, status__in=unapproved, partner__isnull=False)
    assert {c.status for c in held} >= {Stage.BOARD_COMMENT, Stage.APPROVAL}


def test_org_ids_come_from_the_partners_records_never_invented(build, pipeline):
    cast = build("herts")
    publisher = giving.Publisher(cast.hub)
    soundwaves, beats, tabla, hms = (
        cast.partners[k] for k in ("soundwaves", "beats", "tabla", "hms")
    )
    assert giving.org_id(soundwaves, publisher) == "GB-CHC-1100001"
    assert giving.org_id(beats, publisher) == "GB-COH-09000001"
    assert giving.org_id(hms, publisher) == "GB-LAE-HRT"  # the HLO's own delivery arm
    # No charity or company number: an identifier under the hub's own prefix.
    assert giving.org_id(tabla, publisher) == f"{publisher.prefix}-ORG-{tabla.pk}"
    tabla.org_id = "GB-COH-12345678"
    assert giving.org_id(tabla, publisher) == "GB-COH-12345678"


def test_an_individual_is_published_without_their_name(build, pipeline):
    cast = build("kent")
    p = pipeline(cast)
    p._plan = lambda: {"route": "existing_partner", "partner": cast.partners["qa"]}
    c = p._open("Quality assurance visits")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    qa = cast.partners["qa"]
    assert qa.organisation_type == OrganisationType.INDIVIDUAL
    text = _streamed(Client().get(reverse("oversight:giving_json", args=["kent"])))
    package = json.loads(text)
    assert errors(package) == []
    (grant,) = package["grants"]
    assert grant["recipientIndividual"] == {
        "id": f"{giving.Publisher(cast.hub).prefix}-IND-{qa.pk}",
        "name": "Individual recipient",
    }
    assert "Fairweather" not in text
    csv_text = _streamed(Client().get(reverse("oversight:giving_csv", args=["kent"])))
    assert "Fairweather" not in csv_text
    register = Client().get(reverse("oversight:register", args=["kent"])).content.decode()
    assert "Fairweather" not in register and "An individual practitioner" in register


def test_no_people_in_the_export(build, pipeline):
    cast = _demo(build, pipeline, "blmk")
    text = _streamed(Client().get(reverse("oversight:giving_json", args=["blmk"])))
    people = [cast.officer, cast.approver, cast.admin, *cast.board, *cast.leads.values()]
    people += list(cast.contacts.values())
    for person in people:
        assert person.email not in text
        assert person.last_name not in text


def test_a_hub_publisher_sets_prefix_and_regrant_type(build, pipeline):
    cast = _demo(build, pipeline, "leics")
    GivingPublisher.objects.create(
        hub=cast.hub, grant_prefix="360G-leicsmusic", regrant_type="FRG070"
    )
    package = json.loads("".join(giving.package_json(cast.hub)))
    assert errors(package) == []
    assert all(g["id"].startswith("360G-leicsmusic-") for g in package["grants"])
    assert {g["regrantType"] for g in package["grants"]} == {"FRG070"}
    assert {g["fromOpenCall"] for g in package["grants"]} == {"Yes"}  # Leicestershire's EOIs


def test_a_hub_with_nothing_awarded_has_no_file(build):
    cast = build("consortium")
    assert Client().get(reverse("oversight:giving_json", args=[cast.hub.slug])).status_code == 404


def test_the_command_writes_one_hub_or_all(build, pipeline, tmp_path):
    _demo(build, pipeline, "herts")
    build("kent")  # nothing awarded
    call_command("export_360giving", "herts", "--out", str(tmp_path))
    package = json.loads((tmp_path / "herts-360giving.json").read_text())
    assert errors(package) == []
    assert (tmp_path / "herts-360giving.csv").read_text().startswith("Identifier,Title")
    call_command("export_360giving", "--all", "--out", str(tmp_path / "all"))
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "herts-360giving.csv",
        "herts-360giving.json",
    ]


def _many_awarded(cast, n: int) -> None:
    template = Commission.objects.filter(hub=cast.hub, partner__isnull=False).first()
    Commission.objects.bulk_create(
        Commission(
            hub=cast.hub,
            policy_id=template.policy_id,
            reference=f"BULK-{i:05d}",
            title=f"Bulk partnership {i}",
            need_id=template.need_id,
            partner_id=template.partner_id,
            route=template.route,
            hub_grant_amount=Decimal("1234.50"),
            match_funding_amount=Decimal(500),
            status=Stage.MONITORING,
            created_by_id=template.created_by_id,
        )
        for i in range(n)
    )


def test_a_hub_with_2000_awards_streams_in_well_under_two_seconds(build, pipeline):
    cast = build("herts")
    p = pipeline(cast)
    c = p._open("Seed")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    _many_awarded(cast, 2000)
    client = Client()
    timings = []
    # The first request also pays the process's one-off warm-up (imports, URLs).
    for name in ("oversight:giving_json", "oversight:giving_csv", "oversight:giving_json"):
        started = time.perf_counter()
        text = _streamed(client.get(reverse(name, args=["herts"])))
        timings.append((name, round(time.perf_counter() - started, 3)))
        assert text.count("BULK-") >= 2000
    print(f"\n2,001 awards streamed (seconds): {timings}")
    assert max(t for _, t in timings) < 2.0, timings
    package = json.loads("".join(giving.package_json(cast.hub)))
    assert len(package["grants"]) == 2001
    assert errors(package) == []


def test_the_validator_would_catch_a_broken_grant(build, pipeline):
    """The offline validation is real: a missing field, a bad date or both
    recipient kinds at once are errors."""
    cast = build("herts")
    p = pipeline(cast)
    c = p._open("Checked")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    (good,) = giving.grants(cast.hub)
    assert errors({"grants": [good]}) == []
    assert errors({"grants": [{**good, "awardDate": "2026-13-01"}]})
    assert errors({"grants": [{**good, "awardDate": "23/11/2026"}]})
    assert errors({"grants": [{k: v for k, v in good.items() if k != "currency"}]})
    both = {**good, "recipientIndividual": {"id": "360G-x-IND-1", "name": "Individual recipient"}}
    assert errors({"grants": [both]})
    assert errors({"grants": []})  # a package needs at least one grant


def test_planned_dates_are_the_agreements_term(build, pipeline):
    cast = _demo(build, pipeline, "herts")
    signed = Commission.objects.get(hub=cast.hub, title=demo_title("herts", "Signed and active"))
    agreements = Agreement.objects.filter(commission=signed).order_by("period_number")
    first, last = agreements.first(), agreements.last()
    prefix = giving.Publisher(cast.hub).prefix
    grant = next(g for g in giving.grants(cast.hub) if g["id"] == f"{prefix}-{signed.reference}")
    assert grant["plannedDates"] == [
        {"startDate": first.starts_on.isoformat(), "endDate": last.ends_on.isoformat()}
    ]
    page = Client().get(reverse("oversight:register", args=["herts"])).content.decode()
    assert f"{first.starts_on:%-d %b %Y}" in page


def test_the_shipped_standard_is_the_shared_one():
    """The app ships the 360Giving schema and codelists (it must run where the
    team's shared folder is absent); where that folder is present, the copy is
    byte for byte the same, so validating against one is validating against
    the other."""
    from pathlib import Path

    from django.conf import settings

    from oversight.models import STANDARD_DIR

    shared = Path(settings.BASE_DIR).parent / "shared" / "standards" / "360giving"
    if not shared.is_dir():
        pytest.skip(f"no shared standards folder at {shared}")
    theirs = {p.relative_to(shared): p.read_bytes() for p in shared.rglob("*") if p.is_file()}
    ours = {
        p.relative_to(STANDARD_DIR): p.read_bytes() for p in STANDARD_DIR.rglob("*") if p.is_file()
    }
    assert ours == theirs
