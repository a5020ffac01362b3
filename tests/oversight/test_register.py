"""The public register: awarded partnerships and the open calls, no sign-in,
no people, and the same query count however many partnerships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Commission
from commissioning.workflow import Stage
from demo.stories import title as demo_title
from oversight.selectors import register_entries

pytestmark = pytest.mark.django_db


def _queries(url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url)
        assert response.status_code == 200
    return len(ctx), response.content.decode()


def _award(cast, pipeline, n: int) -> None:
    p = pipeline(cast)
    for i in range(n):
        c = p._open(f"Partnership {i}")
        for step in (p.identify, p.award, p.to_approval, p.approve, p.sign)[: 4 + i % 2]:
            step(c)


def test_the_register_costs_the_same_queries_for_3_or_30_partnerships(build, pipeline):
    cast = build("herts")
    url = reverse("oversight:register", args=["herts"])
    _award(cast, pipeline, 3)
    few, page = _queries(url)
    assert page.count("Soundwaves SEND Music") == 3
    _award(cast, pipeline, 27)
    many, page = _queries(url)
    print(f"\nregister queries: {few} with 3 partnerships, {many} with 30")
    assert few == many <= 8
    assert page.count("Soundwaves SEND Music") == 25  # a page of 25
    assert "Page 1 of 2" in page


def test_it_lists_awards_with_purpose_amount_and_dates_but_no_people(build, pipeline):
    cast = build("herts")
    pipeline(cast).run()
    page = Client().get(reverse("oversight:register", args=["herts"])).content.decode()
    shown = register_entries(cast.hub)
    assert Stage.NEEDS not in {c.status for c in shown}
    assert not any(c.status == Stage.WITHDRAWN for c in shown)
    signed = Commission.objects.get(hub=cast.hub, title=demo_title("herts", "Signed and active"))
    assert signed.title in page and f"£{signed.hub_grant_amount:,.2f}" in page
    for person in (cast.officer, cast.approver, *cast.board, cast.admin):
        assert person.email not in page and person.last_name not in page
    assert demo_title("herts", "Identifying a partner") not in page  # not yet awarded
    for stage in (Stage.DRAFT, Stage.BOARD_COMMENT, Stage.APPROVAL):  # not yet approved
        assert stage not in {c.status for c in shown}
    unapproved = Commission.objects.filter(hub=cast.hub, status=Stage.APPROVAL).first()
    assert unapproved is not None and unapproved.title not in page
    assert reverse("calls:public_list", args=["herts"]) in page
    assert reverse("oversight:giving_json", args=["herts"]) in page


def test_a_hub_with_no_awards_says_so(build):
    build("kent")
    page = Client().get(reverse("oversight:register", args=["kent"])).content.decode()
    assert "has not awarded any partnerships yet" in page
    assert Client().get(reverse("oversight:register", args=["nowhere"])).status_code == 404
