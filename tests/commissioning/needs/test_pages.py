"""The needs pages: needs analyses, needs and SMART targets, and opening a
commission to meet a need, as each role sees them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from commissioning import services as cs
from commissioning.models import Commission, Need, NeedsAnalysis, SmartTarget, TransitionLog
from commissioning.workflow import Stage
from hubs.models import ServiceArea
from hubs.refusals import Refused
from tests.access import PERSONAS, assert_matrix, members, personas
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

WRITES = members(
    302,
    approver=403,
    board_member=403,
    hub_admin=403,
    other_area_lead=403,
    partner_contact=404,
    other_partner=404,
)

# url name: (method, expected status per persona), in BLMK; "outsider" is
# Hertfordshire's HLO staff. The need is Luton's.
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "needs:list": ("get", members(200, partner_contact=404, other_partner=404)),
    # A needs analysis covers the whole hub: HLO staff write it, service leads their needs.
    "needs:create": ("post", {**WRITES, "service_lead": 403}),
    "needs:detail": ("get", members(200, partner_contact=404, other_partner=404)),
    "needs:edit": ("post", {**WRITES, "service_lead": 403}),
    "needs:need_add": ("post", WRITES),
    "needs:need": ("get", members(200, partner_contact=404, other_partner=404)),
    "needs:need_edit": ("post", WRITES),
    "needs:target_add": ("post", WRITES),
    "needs:commission_open": ("post", WRITES),
}


def _analysis(cast, n: int = 1, cycle: str = "2025/26") -> NeedsAnalysis:
    return cs.needs_analysis_create(
        hub=cast.hub, user=cast.officer, cycle=cycle, title=f"Needs analysis {n}"
    )


def _need(analysis, area=None, **extra) -> Need:
    return cs.need_add(
        analysis=analysis, title="Too few SEND ensembles", service_area=area, **extra
    )


def _url(name: str, cast, *args) -> str:
    return reverse(name, args=[cast.hub.slug, *args])


def _target(prefix: str = "target", **values) -> dict:
    target = {
        "description": "Young people with SEND in weekly ensembles",
        "measure": "participants enrolled",
        "baseline": "40",
        "target_value": "120",
        "due_on": "31/07/2026",
        **values,
    }
    return {f"{prefix}-{k}": v for k, v in target.items()}


def _area(cast, name: str) -> ServiceArea:
    return ServiceArea.objects.get(hub=cast.hub, name=name)


# ── needs analyses ───────────────────────────────────────────────────────────


def test_hlo_staff_record_a_needs_analysis(client, build):
    herts = build("herts")
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:create", herts),
        {
            "cycle": "2026/27",
            "title": "Annual needs analysis",
            "summary": "Schools asked for more singing.",
            "stakeholders_consulted": ["schools", "young_people", "ace"],
            "completed_on": "01/07/2026",
        },
    )
    analysis = NeedsAnalysis.objects.get(hub=herts.hub, cycle="2026/27")
    assert response.url == _url("needs:detail", herts, analysis.pk)
    assert analysis.stakeholders_consulted == ["schools", "young_people", "ace"]
    assert analysis.completed_on == date(2026, 7, 1)
    assert analysis.created_by == herts.officer
    page = client.get(response.url).content.decode()
    assert "Schools, Young people, Arts Council England" in page
    assert "1 July 2026" in page


def test_hlo_staff_edit_a_needs_analysis(client, build):
    herts = build("herts")
    analysis = _analysis(herts)
    sign_in(client, herts.officer)
    url = _url("needs:edit", herts, analysis.pk)
    form = client.get(url).content.decode()
    assert 'value="Needs analysis 1"' in form
    response = client.post(
        url,
        {"cycle": "2025/26", "title": "Revised", "stakeholders_consulted": ["dfe"]},
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert (analysis.title, analysis.stakeholders_consulted) == ("Revised", ["dfe"])


def test_a_cycle_that_is_not_an_academic_year_is_refused_and_the_rest_kept(client, build):
    herts = build("herts")
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:create", herts),
        {"cycle": "2025/27", "title": "Kept title", "stakeholders_consulted": ["parents"]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cycle"] == [
        "Enter the cycle as an academic year, like 2025/26."
    ]
    page = response.content.decode()
    assert 'role="alert"' in page and 'href="#id_cycle"' in page, "the summary links the field"
    assert 'aria-invalid="true"' in page
    assert 'value="Kept title"' in page
    assert 'value="parents"' in page and "checked" in page
    assert not NeedsAnalysis.objects.filter(hub=herts.hub).exists()


def test_a_second_analysis_of_the_same_title_and_cycle_is_refused(client, build):
    herts = build("herts")
    _analysis(herts)
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:create", herts), {"cycle": "2025/26", "title": "Needs analysis 1"}
    )
    assert response.status_code == 400
    assert "already has a needs analysis called" in response.context["form"].errors["title"][0]


def test_the_list_costs_the_same_queries_for_3_or_30_analyses(client, build):
    herts = build("herts")
    sign_in(client, herts.officer)
    url = _url("needs:list", herts)

    def queries() -> int:
        client.get(url)  # warm: the person's standing and unread count are then cached
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for n in range(3):
        _need(_analysis(herts, n))
    few = queries()
    for n in range(3, 30):
        _need(_analysis(herts, n, cycle=f"20{n:02d}/{n + 1:02d}"))
    assert queries() == few
    page = client.get(url)
    assert len(page.context["page"].object_list) == 25
    assert page.context["page"].paginator.num_pages == 2


# ── needs and targets ────────────────────────────────────────────────────────


def test_hlo_staff_add_a_need_with_its_first_smart_target(client, build):
    herts = build("herts")
    analysis = _analysis(herts)
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:need_add", herts, analysis.pk),
        {"title": "Too few SEND ensembles", "priority": "1", **_target()},
    )
    need = Need.objects.get(analysis=analysis)
    assert response.url == _url("needs:need", herts, analysis.pk, need.pk)
    assert need.priority == Need.Priority.HIGH
    [target] = need.targets.all()
    assert (target.baseline, target.target_value) == (Decimal(40), Decimal(120))
    assert target.due_on == date(2026, 7, 31)
    page = client.get(response.url).content.decode()
    assert "Young people with SEND in weekly ensembles" in page


def test_a_need_can_be_added_without_a_target(client, build):
    herts = build("herts")
    analysis = _analysis(herts)
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:need_add", herts, analysis.pk),
        {"title": "More singing", "priority": "2", "target-baseline": ""},
    )
    assert response.status_code == 302
    assert not SmartTarget.objects.filter(need__analysis=analysis).exists()


def test_a_target_equal_to_its_baseline_is_refused_beside_the_field(client, build):
    herts = build("herts")
    analysis = _analysis(herts)
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:need_add", herts, analysis.pk),
        {"title": "Kept need", "priority": "1", **_target(target_value="40")},
    )
    assert response.status_code == 400
    errors = response.context["target_form"].errors
    assert errors["target_value"] == ["A target must differ from its baseline to be measurable."]
    page = response.content.decode()
    assert 'href="#id_target-target_value"' in page
    assert 'value="Kept need"' in page
    assert 'value="Young people with SEND in weekly ensembles"' in page
    assert 'value="31/07/2026"' in page
    assert not Need.objects.filter(analysis=analysis).exists()


def test_a_target_added_on_the_need_page_is_checked_the_same_way(client, build):
    herts = build("herts")
    need = _need(_analysis(herts))
    sign_in(client, herts.officer)
    url = _url("needs:target_add", herts, need.analysis_id, need.pk)
    refused = client.post(url, _target(baseline="120", measure="Kept measure"))
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.content.decode()
    assert 'value="Kept measure"' in refused.content.decode()
    assert not need.targets.exists()
    assert client.post(url, _target()).status_code == 302
    assert need.targets.count() == 1


def test_a_blmk_need_without_a_service_area_is_refused_with_the_policy(client, build):
    blmk = build("blmk")
    analysis = _analysis(blmk)
    sign_in(client, blmk.officer)
    response = client.post(
        _url("needs:need_add", blmk, analysis.pk), {"title": "Kept need", "priority": "2"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["service_area"] == [
        "In BLMK Music Hub each music service commissions its own partners: choose the "
        "service area this need belongs to."
    ]
    assert 'value="Kept need"' in response.content.decode()
    assert not Need.objects.filter(analysis=analysis).exists()


def test_a_luton_service_lead_cannot_file_a_need_for_bedford(client, build):
    blmk = build("blmk")
    analysis = _analysis(blmk)
    lead = blmk.leads["Luton"]
    sign_in(client, lead)
    url = _url("needs:need_add", blmk, analysis.pk)
    form = client.get(url)
    offered = [label for _, label in form.context["form"].fields["service_area"].widget.choices]
    assert offered == ["Choose a service area", "Luton"]
    bedford = _area(blmk, "Bedford Borough")
    refused = client.post(url, {"title": "Kept", "priority": "2", "service_area": bedford.pk})
    assert refused.status_code == 403
    assert refused.context["form"].errors["service_area"] == [
        "You lead the service for Luton, so you can record needs for Luton only, not for "
        "Bedford Borough; HLO staff record the others."
    ]
    assert not Need.objects.filter(analysis=analysis).exists()
    luton = _area(blmk, "Luton")
    allowed = client.post(url, {"title": "Luton", "priority": "2", "service_area": luton.pk})
    assert allowed.status_code == 302
    assert Need.objects.get(analysis=analysis).service_area == luton


def test_a_service_lead_cannot_change_another_areas_need(client, build):
    blmk = build("blmk")
    need = _need(_analysis(blmk), area=_area(blmk, "Bedford Borough"))
    sign_in(client, blmk.leads["Luton"])
    page = client.get(_url("needs:need", blmk, need.analysis_id, need.pk))
    assert page.status_code == 200
    assert page.context["target_form"] is None and page.context["open_form"] is None
    for name in ("needs:need_edit", "needs:target_add", "needs:commission_open"):
        response = client.post(_url(name, blmk, need.analysis_id, need.pk), _target())
        assert response.status_code == 403, name
        assert "You lead the service for Luton" in response.content.decode()


def test_readers_who_do_not_write_are_refused_in_words(client, build):
    herts = build("herts")
    analysis = _analysis(herts)
    sign_in(client, herts.board[0])
    assert client.get(_url("needs:detail", herts, analysis.pk)).status_code == 200
    response = client.get(_url("needs:need_add", herts, analysis.pk))
    assert response.status_code == 403
    assert "Only HLO staff or a service lead can record needs for" in response.content.decode()


def test_a_partner_contact_gets_404(client, build):
    herts = build("herts")
    need = _need(_analysis(herts))
    sign_in(client, herts.contacts[herts.partners["soundwaves"].pk])
    for url in (
        _url("needs:list", herts),
        _url("needs:detail", herts, need.analysis_id),
        _url("needs:need", herts, need.analysis_id, need.pk),
    ):
        assert client.get(url).status_code == 404, url


def test_another_hubs_analysis_is_a_404(client, build):
    herts, kent = build("herts"), build("kent")
    theirs = _need(_analysis(kent))
    sign_in(client, herts.officer)
    assert client.get(_url("needs:list", kent)).status_code == 404
    # Kent's analysis asked for under Hertfordshire's address
    assert client.get(_url("needs:detail", herts, theirs.analysis_id)).status_code == 404
    assert client.get(_url("needs:need", herts, theirs.analysis_id, theirs.pk)).status_code == 404
    mine = _analysis(herts)
    assert client.get(_url("needs:need", herts, mine.pk, theirs.pk)).status_code == 404


# ── opening a commission ─────────────────────────────────────────────────────


def test_hlo_staff_open_a_commission_to_meet_a_need(client, build):
    herts = build("herts")
    need = _need(_analysis(herts))
    sign_in(client, herts.officer)
    response = client.post(
        _url("needs:commission_open", herts, need.analysis_id, need.pk),
        {"open-title": "Inclusive ensembles", "open-hub_grant_amount": "12000"},
        follow=True,
    )
    commission = Commission.objects.get(need=need)
    assert response.redirect_chain == [
        (reverse("commissioning:detail", args=[herts.hub.slug, commission.reference]), 302)
    ]
    assert commission.status == Stage.NEEDS
    assert commission.hub_grant_amount == Decimal(12000)
    page = response.content.decode()
    assert "Stage: <strong>Need identified</strong>" in page
    assert f"Opened to meet the need: {escape(need.title)}" in page
    [log] = TransitionLog.objects.filter(commission=commission)
    assert (log.action, log.to_stage, log.actor) == ("open", Stage.NEEDS, herts.officer)
    need_page = client.get(_url("needs:need", herts, need.analysis_id, need.pk))
    assert list(need_page.context["commissions"]) == [commission]


def test_kent_chooses_a_service_category(client, build):
    kent = build("kent")
    need = _need(_analysis(kent))
    sign_in(client, kent.officer)
    url = _url("needs:commission_open", kent, need.analysis_id, need.pk)
    refused = client.post(url, {"open-title": "Kept", "open-hub_grant_amount": "abc"})
    assert refused.status_code == 400
    errors = refused.context["open_form"].errors
    assert errors["service_category"] == ["Choose the service category."]
    assert errors["hub_grant_amount"] == [
        "Enter the Hub grant amount as a number of pounds, like 5000."
    ]
    assert 'value="Kept"' in refused.content.decode()
    category = kent.hub.service_categories.get(name="Research")
    opened = client.post(
        url,
        {
            "open-title": "Research",
            "open-service_category": category.pk,
            "open-hub_grant_amount": 0,
        },
    )
    assert opened.status_code == 302
    assert Commission.objects.get(need=need).service_category == category


def test_a_blmk_commission_takes_the_needs_area_and_the_lead_opens_it(client, build):
    blmk = build("blmk")
    luton = _area(blmk, "Luton")
    need = _need(_analysis(blmk), area=luton)
    sign_in(client, blmk.leads["Luton"])
    page = client.get(_url("needs:need", blmk, need.analysis_id, need.pk))
    assert page.context["open_form"]["service_area"].value() == luton.pk
    response = client.post(
        _url("needs:commission_open", blmk, need.analysis_id, need.pk),
        {"open-title": "Luton strings", "open-service_area": luton.pk, "open-hub_grant_amount": 1},
    )
    assert response.status_code == 302
    assert Commission.objects.get(need=need).service_area == luton


# ── the access matrix ────────────────────────────────────────────────────────


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    p = pipeline(blmk)
    p._open("Luton ensembles")
    need = Need.objects.get(hub=blmk.hub)
    luton = need.service_area
    assert luton.name == "Luton"
    analysis = need.analysis
    on_analysis = [blmk.hub.slug, analysis.pk]
    on_need = [*on_analysis, need.pk]
    args = {
        "needs:list": [blmk.hub.slug],
        "needs:create": [blmk.hub.slug],
        "needs:detail": on_analysis,
        "needs:edit": on_analysis,
        "needs:need_add": on_analysis,
        "needs:need": on_need,
        "needs:need_edit": on_need,
        "needs:target_add": on_need,
        "needs:commission_open": on_need,
    }
    bodies = {
        "needs:create": {"cycle": "2026/27", "title": "Next year's analysis"},
        "needs:edit": {"cycle": "2025/26", "title": "Annual needs analysis, revised"},
        "needs:need_add": {"title": "Steel pans", "priority": "2", "service_area": luton.pk},
        "needs:need_edit": {"title": "Renamed", "priority": "1", "service_area": luton.pk},
        "needs:target_add": _target(),
        "needs:commission_open": {
            "open-title": "Luton steel pans",
            "open-service_area": luton.pk,
            "open-hub_grant_amount": "1000",
        },
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert set(expected) == set(PERSONAS)
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


def test_a_service_lead_cannot_change_the_hub_wide_needs_analysis(build, client):
    cast = build("blmk")
    analysis = _analysis(cast)
    lead = cast.leads["Luton"]
    sign_in(client, lead)
    detail = client.get(_url("needs:detail", cast, analysis.pk)).content.decode()
    assert "Edit this needs analysis" not in detail
    assert "Add a need" in detail  # their own area's needs, within it
    response = client.post(
        _url("needs:edit", cast, analysis.pk),
        {"cycle": "2025/26", "title": "Luton's own analysis", "summary": "Changed."},
    )
    assert response.status_code == 403
    assert "A needs analysis covers the whole of BLMK Music Hub" in response.content.decode()
    analysis.refresh_from_db()
    assert analysis.title == "Needs analysis 1"
    with pytest.raises(Refused) as refused:
        cs.needs_analysis_update(analysis=analysis, user=lead, cycle="2025/26", title="Mine")
    assert refused.value.rule == "officer_only"


def test_the_need_admin_saves_through_the_needs_rules(build, client):
    """BLMK's needs name their service area, in the admin as on the pages."""
    cast = build("blmk")
    analysis = _analysis(cast)
    sign_in(client, cast.admin)
    response = client.post(
        reverse("admin:commissioning_need_add"),
        {
            "analysis": analysis.pk,
            "title": "A need for nowhere",
            "description": "",
            "priority": Need.Priority.MEDIUM,
            "service_area": "",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the rule beside the field
    assert "each music service commissions its own partners" in response.content.decode()
    assert not Need.objects.filter(title="A need for nowhere").exists()
