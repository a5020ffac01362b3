"""The commission list's search, filters and sorting, as each role sees them:
filters narrow what the role may see and never widen it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Commission, NeedsAnalysis
from commissioning.selectors import todo_for
from commissioning.workflow import Stage
from hubs.access import HubAccess
from hubs.models import ServiceArea, ServiceCategory
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _make(pipeline, cast, title: str, *steps: str, **fields) -> Commission:
    p = pipeline(cast)
    c = p._open(title)
    for step in steps:
        getattr(p, step)(c)
    if fields:
        Commission.objects.filter(pk=c.pk).update(**fields)
        c.refresh_from_db()
    return c


def _list(client, cast, **params):
    response = client.get(reverse("commissioning:list", args=[cast.hub.slug]), params)
    assert response.status_code == 200
    return response


def _shown(client, cast, **params) -> list[str]:
    return [c.title for c in _list(client, cast, **params).context["page"].object_list]


def _access(cast, user) -> HubAccess:
    from django.test import RequestFactory

    from hubs.access import hub_access

    request = RequestFactory().get("/")
    request.user = user
    return hub_access(request, cast.hub.slug)


# ── search ──────────────────────────────────────────────────────────────────


def test_search_finds_by_title_scope_and_partner_name(client, build, pipeline):
    cast = build("herts")
    _make(pipeline, cast, "Singing strategy for primary schools")
    _make(
        pipeline, cast, "Whole-class tuition", description="Ukulele lessons in early years settings"
    )
    _make(pipeline, cast, "Band days", partner=cast.partners["tabla"])
    sign_in(client, cast.officer)
    assert _shown(client, cast, q="singing") == ["Singing strategy for primary schools"]
    assert _shown(client, cast, q="ukulele") == ["Whole-class tuition"]
    assert _shown(client, cast, q="tabla collective") == ["Band days"]
    assert _shown(client, cast, q="nothing like this") == []


def test_a_title_match_ranks_first(client, build, pipeline):
    cast = build("herts")
    _make(pipeline, cast, "Aaa tuition", description="Ensemble coaching for percussion")
    _make(pipeline, cast, "Zzz percussion ensemble")
    sign_in(client, cast.officer)
    assert _shown(client, cast, q="percussion") == ["Zzz percussion ensemble", "Aaa tuition"]
    # Sorting by a column asked for overrides the rank.
    assert _shown(client, cast, q="percussion", sort="title") == [
        "Aaa tuition",
        "Zzz percussion ensemble",
    ]


@pytest.mark.postgres
def test_full_text_search_stems_words_and_reads_web_search_syntax(client, build, pipeline):
    cast = build("herts")
    _make(pipeline, cast, "Inclusive ensembles", description="Choir and orchestra")
    _make(pipeline, cast, "Singing strategy", description="A county choir")
    sign_in(client, cast.officer)
    assert _shown(client, cast, q="ensemble") == ["Inclusive ensembles"]
    assert _shown(client, cast, q="choir -orchestra") == ["Singing strategy"]
    assert _shown(client, cast, q='"county choir"') == ["Singing strategy"]
    assert sorted(_shown(client, cast, q="singing or inclusive")) == [
        "Inclusive ensembles",
        "Singing strategy",
    ]


def test_search_never_returns_another_hubs_or_another_areas_rows(client, build, pipeline):
    blmk = build("blmk")
    kent = build("kent")
    bedford = ServiceArea.objects.get(hub=blmk.hub, name="Bedford Borough")
    _make(pipeline, blmk, "Drumming in Luton")  # the pipeline's BLMK area is Luton
    _make(pipeline, blmk, "Drumming in Bedford", service_area=bedford)
    _make(pipeline, kent, "Drumming in Kent")
    sign_in(client, blmk.leads["Luton"])
    assert _shown(client, blmk, q="drumming") == ["Drumming in Luton"]
    # Asking for another area's rows by its filter narrows to nothing, never widens.
    assert _shown(client, blmk, q="drumming", area=bedford.pk) == []
    client.logout()
    sign_in(client, blmk.officer)
    assert sorted(_shown(client, blmk, q="drumming")) == [
        "Drumming in Bedford",
        "Drumming in Luton",
    ]


# ── filters ─────────────────────────────────────────────────────────────────


def test_each_filter_narrows_the_list(client, build, pipeline):
    cast = build("kent")
    project, research = ServiceCategory.objects.filter(
        hub=cast.hub, name__in=["Project grants", "Research"]
    ).order_by("name")
    small = _make(pipeline, cast, "Small", hub_grant_amount=Decimal(4000), service_category=project)
    large = _make(
        pipeline, cast, "Large", hub_grant_amount=Decimal(90000), service_category=research
    )
    # a later cycle's need, made after the others took the first need
    later = NeedsAnalysis.objects.create(
        hub=cast.hub, cycle="2026/27", title="Next year", created_by=cast.officer
    )
    need = later.needs.create(hub=cast.hub, title="Strings in Swale")
    middle = _make(pipeline, cast, "Middle", "identify", hub_grant_amount=Decimal(20000), need=need)
    Commission.objects.filter(pk=large.pk).update(partner=cast.partners["coastal"])
    sign_in(client, cast.officer)
    assert sorted(_shown(client, cast)) == ["Large", "Middle", "Small"]
    assert _shown(client, cast, stage=Stage.IDENTIFY) == ["Middle"]
    assert _shown(client, cast, category=research.pk) == ["Large"]
    assert _shown(client, cast, partner=cast.partners["coastal"].pk) == ["Large"]
    assert _shown(client, cast, year="2026/27") == ["Middle"]
    assert _shown(client, cast, value="under_10k") == ["Small"]
    assert _shown(client, cast, value="10k_50k") == ["Middle"]
    assert _shown(client, cast, value="50k_up") == ["Large"]
    assert _shown(client, cast, value="10k_50k", stage=Stage.NEEDS) == []
    assert middle.status == Stage.IDENTIFY and small.status == Stage.NEEDS


def test_choice_lists_come_from_the_persons_own_hub(client, build, pipeline):
    kent = build("kent")
    herts = build("herts")
    sign_in(client, kent.officer)
    form = _list(client, kent).context["filter"].form
    partner_names = {label for _, label in form.fields["partner"].choices}
    assert kent.partners["coastal"].name in partner_names
    assert herts.partners["tabla"].name not in partner_names
    assert "area" not in form.fields, "Kent has no service areas: no area filter"
    client.logout()
    # A partner contact sees only their own organisation among the partners.
    contact = kent.contacts[kent.partners["coastal"].pk]
    sign_in(client, contact)
    form = _list(client, kent).context["filter"].form
    assert [label for _, label in form.fields["partner"].choices][1:] == [
        kent.partners["coastal"].name
    ]


def test_an_invalid_value_is_left_out_with_a_message_and_the_others_kept(client, build, pipeline):
    kent = build("kent")
    herts = build("herts")
    _make(pipeline, kent, "Waiting to start")
    _make(pipeline, kent, "Finding a partner", "identify")
    sign_in(client, kent.officer)
    foreign = herts.partners["tabla"].pk
    response = _list(
        client, kent, stage=Stage.IDENTIFY, partner=foreign, value="lots", sort="nonsense"
    )
    page = response.content.decode()
    assert [c.title for c in response.context["page"].object_list] == ["Finding a partner"]
    assert "That is not one of the choices here, so this filter was left out." in page
    assert 'aria-invalid="true"' in page
    assert "left out, as not understood: Partner, Hub grant" in page
    # A search that is too long is refused the same way, never a 500.
    response = _list(client, kent, q="x" * 300, stage=Stage.IDENTIFY)
    assert [c.title for c in response.context["page"].object_list] == ["Finding a partner"]


def test_waiting_on_me_agrees_with_the_dashboard(client, build, pipeline):
    cast = build("kent")
    for i in range(3):
        _make(pipeline, cast, f"To approve {i}", "identify", "award", "to_approval")
    _make(pipeline, cast, "Still drafting", "identify", "award")
    _make(pipeline, cast, "Not started")
    for person in (cast.approver, cast.officer):
        client.logout()
        sign_in(client, person)
        expected = {t.commission.title for t in todo_for(_access(cast, person))}
        assert expected, "the dashboard shows something waiting on each of them"
        assert set(_shown(client, cast, waiting="on")) == expected
    assert set(_shown(client, cast, waiting="on")) >= {"Still drafting", "Not started"}


# ── sorting, the URL and the count ──────────────────────────────────────────


def test_columns_sort_both_ways_with_aria_sort_and_keep_the_filters(client, build, pipeline):
    cast = build("kent")
    for title, grant in [("Beta", 3000), ("Alpha", 9000), ("Gamma", 1000), ("Delta", 60000)]:
        _make(pipeline, cast, title, hub_grant_amount=Decimal(grant))
    sign_in(client, cast.officer)
    assert _shown(client, cast, sort="title") == ["Alpha", "Beta", "Delta", "Gamma"]
    assert _shown(client, cast, sort="-grant") == ["Delta", "Alpha", "Beta", "Gamma"]
    assert _shown(client, cast, sort="grant", value="under_10k") == ["Gamma", "Beta", "Alpha"]
    page = _list(client, cast, sort="title", value="under_10k").content.decode()
    assert 'aria-sort="ascending"' in page
    assert page.count("aria-sort=") == 1
    assert "?sort=-title&amp;value=under_10k" in page, "the title header reverses the sort"
    assert "3 commissions match" in page
    assert "Clear filters" in page
    unknown = _list(client, cast, sort="created_by__password")
    assert "aria-sort" not in unknown.content.decode()


def test_ties_are_broken_by_the_primary_key_and_pages_keep_the_filters(client, build, pipeline):
    cast = build("kent")
    made = [_make(pipeline, cast, "Same title", hub_grant_amount=Decimal(100)) for _ in range(27)]
    sign_in(client, cast.officer)
    first = _list(client, cast, sort="title", value="under_10k")
    second = _list(client, cast, sort="title", value="under_10k", page=2)
    shown = [c.pk for c in first.context["page"]] + [c.pk for c in second.context["page"]]
    assert shown == [c.pk for c in made]
    assert "?sort=title&amp;value=under_10k&amp;page=2" in first.content.decode()
    assert "27 commissions match" in first.content.decode()


def test_the_filtered_searched_list_costs_the_same_queries_for_3_or_30_rows(
    client, build, pipeline
):
    cast = build("kent")
    sign_in(client, cast.approver)
    url = reverse("commissioning:list", args=[cast.hub.slug])
    params = {"q": "violin", "stage": Stage.APPROVAL, "waiting": "on", "value": "50k_up"}
    params["sort"] = "partner"

    def make(n):
        for _ in range(n):
            _make(
                pipeline,
                cast,
                "Violin hubs",
                "identify",
                "award",
                "to_approval",
                hub_grant_amount=Decimal(60000),
            )

    def queries() -> tuple[int, int]:
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        return len(ctx), response.context["page"].paginator.count

    make(3)
    few, found = queries()
    assert found == 3
    make(27)
    many, found = queries()
    assert found == 30
    assert many == few
    # 15, and two for 'Waiting on me' following the comment routes (the
    # person's advisory groups, the waiting commissions' routes).
    assert few <= 17
