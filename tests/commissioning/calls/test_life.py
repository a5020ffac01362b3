"""A call that explains itself: its status in words through its life, the
counts each reader may see, closing early and extending with a reason (each
refused in words where it makes no sense, applicants told once), the access
matrix of the new pages and their query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.calls import changes
from commissioning.calls.common import when
from commissioning.calls.status import call_status
from commissioning.models import Call, CallChange, Commission, PanelMember, ProposalStatus
from commissioning.workflow import Stage
from hubs.models import Membership, Role
from notices.models import Notification, OutboxMessage
from partners.models import PartnerOrganisation
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import (
    draft,
    publish,
    refusals_of,
    submit,
)

pytestmark = pytest.mark.django_db

CHANGES = members(
    302,
    approver=403,
    hub_admin=403,
    board_member=403,
    partner_contact=403,
    other_area_lead=404,
    other_partner=404,
)
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "calls:close": ("post", CHANGES),
    "calls:extend": ("post", CHANGES),
}


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    call = publish(blmk, pipeline)
    submit(draft(call, blmk, "lutonms"), blmk)
    slug = blmk.hub.slug
    later = call.closes_at + timedelta(days=7)
    args = {"calls:close": [slug, call.pk], "calls:extend": [slug, call.pk]}
    bodies = {
        "calls:close": {"close-reason": "Enough strong bids are in."},
        "calls:extend": {"extend-closes_at": _local(later), "extend-reason": "Half term."},
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies[url_name])


# ── status in words ─────────────────────────────────────────────────────────


def test_a_call_says_where_it_is_through_its_life(build, pipeline):
    cast = build("consortium")
    now = timezone.now()
    call = publish(cast, pipeline, opens_at=now + timedelta(days=1))
    assert call_status(call, staff=True).words == "Not yet open"

    Call.objects.filter(pk=call.pk).update(opens_at=now - timedelta(hours=1))
    call.refresh_from_db()
    found = call_status(call, staff=True)
    assert (found.words, found.next_url) == ("Open", "")
    assert f"open until {when(call.closes_at)}" in found.next_step

    # past its deadline, before the sweep has stamped it: closed all the same
    Call.objects.filter(pk=call.pk).update(closes_at=now - timedelta(minutes=1))
    call.refresh_from_db()
    found = call_status(call, staff=True)
    assert found.words == "Closed"
    assert found.next_url == reverse("scoring:overview", args=[cast.hub.slug, call.pk])
    assert call_status(call, staff=False).next_url == ""  # applicants are not led to scoring

    PanelMember.objects.create(call=call, user=cast.officer)
    found = call_status(call, staff=True)
    assert found.words == "Closed: being scored"
    assert found.next_url == reverse("scoring:results", args=[cast.hub.slug, call.pk])

    Commission.objects.filter(pk=call.commission_id).update(status=Stage.DRAFT)
    call.refresh_from_db()
    assert call_status(call, staff=True).words == "Decided"
    assert "made its decision" in call_status(call, staff=False).next_step


def test_the_calls_list_says_what_the_calls_page_says(build, pipeline, client):
    cast = build("consortium")
    now = timezone.now()
    call = publish(cast, pipeline, opens_at=now + timedelta(days=1))
    sign_in(client, cast.officer)
    url = reverse("calls:index", args=[cast.hub.slug])

    def listed() -> str:
        [(row_call, _, words)] = client.get(url).context["rows"]
        assert row_call == call
        return words

    assert listed().startswith("Opens ")
    Call.objects.filter(pk=call.pk).update(opens_at=now - timedelta(hours=1))
    assert listed() == "Open"
    Call.objects.filter(pk=call.pk).update(closes_at=now - timedelta(minutes=1))
    assert listed() == "Closed"
    PanelMember.objects.create(call=call, user=cast.officer)
    call.refresh_from_db()
    assert listed() == "Closed: being scored" == call_status(call, staff=True).words
    assert "Closed: being scored" in client.get(url).content.decode()
    Commission.objects.filter(pk=call.commission_id).update(status=Stage.DRAFT)
    assert listed() == "Decided"


def test_the_counts_the_staff_and_the_public_see(build, pipeline, client):
    cast = build("consortium")
    call = publish(cast, pipeline)
    submit(draft(call, cast, "mtech"), cast)
    draft(call, cast, "countyms")  # started, not submitted
    sign_in(client, cast.officer)
    page = client.get(reverse("calls:detail", args=[cast.hub.slug, call.pk])).content.decode()
    assert 'data-call-status="open"' in page
    assert '<dd data-count="submitted">1</dd>' in page
    assert '<dd data-count="drafts">1</dd>' in page
    public = Client().get(reverse("calls:public_detail", args=[cast.hub.slug, call.pk]))
    html = public.content.decode()
    assert '<dd data-count="submitted">1</dd>' in html
    assert 'data-count="drafts"' not in html  # a rival's draft is nobody else's business


def test_the_commission_page_says_the_call_is_open_and_offers_no_award(build, pipeline, client):
    cast = build("consortium")
    call = publish(cast, pipeline)
    sign_in(client, cast.officer)
    url = reverse("commissioning:detail", args=[cast.hub.slug, call.commission.reference])
    page = client.get(url).content.decode()
    assert 'data-call-status="open"' in page
    assert f"The call is open until {when(call.closes_at)}" in page
    assert 'name="action" value="award"' not in page  # shown only as waiting
    assert "Award to a partner: not yet" in page


# ── closing early and extending ─────────────────────────────────────────────


def _contacts(cast, *keys):
    ids = [cast.partners[k].pk for k in keys]
    people = Membership.objects.filter(hub=cast.hub, role=Role.PARTNER_CONTACT, partner__in=ids)
    return {m.user for m in people.select_related("user")}


def test_closing_early_keeps_the_reason_and_tells_each_applicant_once(build, pipeline, client):
    cast = build("consortium")
    call = publish(cast, pipeline)
    submit(draft(call, cast, "mtech"), cast)
    draft(call, cast, "countyms")
    before = call.closes_at
    sign_in(client, cast.officer)
    response = client.post(
        reverse("calls:close", args=[cast.hub.slug, call.pk]),
        {"close-reason": "The funding for this work has been withdrawn."},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    change = CallChange.objects.get(call=call)
    assert (change.kind, change.closed_before, change.reason) == (
        "close_early",
        before,
        "The funding for this work has been withdrawn.",
    )
    assert call.closed_at == call.closes_at == change.closes_now
    told = Notification.objects.filter(kind="call_close_early", hub=cast.hub)
    applicants = _contacts(cast, "mtech", "countyms")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(u.pk for u in applicants)
    email = OutboxMessage.objects.filter(dedupe_key__startswith=f"call_change:{change.pk}:")
    assert email.count() == len(applicants)
    assert "The funding for this work has been withdrawn." in email.first().body
    page = client.get(reverse("calls:detail", args=[cast.hub.slug, call.pk])).content.decode()
    assert "Status: Closed" in page and "Closed early" in page
    assert 'id="close-form"' not in page  # the gate refuses it now, so the page does not offer it

    # and again: refused in words, nobody told twice
    again = client.post(
        reverse("calls:close", args=[cast.hub.slug, call.pk]), {"close-reason": "Again."}
    )
    assert again.status_code == 400
    assert "a closed call is not reopened" in again.content.decode()
    assert told.count() == len(applicants)


def test_extending_tells_applicants_the_new_date(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    submit(draft(call, cast, "mtech"), cast)
    later = call.closes_at + timedelta(days=10)
    change = changes.call_extend(
        call=call, user=cast.officer, closes_at=later, reason="Schools asked for half term."
    )
    call.refresh_from_db()
    assert call.closes_at == later and call.closed_at is None
    assert change.closed_before == later - timedelta(days=10)
    told = Notification.objects.get(kind="call_extend", user__in=_contacts(cast, "mtech"))
    assert when(later) in told.subject and when(later) in told.body
    assert "Schools asked for half term." in told.body
    # a partner with no expression of interest is not told
    assert not Notification.objects.filter(
        kind="call_extend", user__in=_contacts(cast, "countyms")
    ).exists()


def test_refusals_say_why_in_words(build, pipeline):
    cast = build("consortium")
    now = timezone.now()
    call = publish(cast, pipeline)
    officer = cast.officer
    got = refusals_of(lambda: changes.call_close_early(call=call, user=officer, reason="  "))
    assert got["reason_required"][1] == "reason"
    got = refusals_of(
        lambda: changes.call_extend(
            call=call, user=officer, closes_at=now - timedelta(days=1), reason="x"
        )
    )
    assert got == {
        "closes_in_future": (
            "The new closing time has passed; choose a time in the future.",
            "closes_at",
        )
    }
    got = refusals_of(
        lambda: changes.call_extend(
            call=call, user=officer, closes_at=call.closes_at - timedelta(days=1), reason="x"
        )
    )
    assert "already closes at" in got["later_than_deadline"][0]
    contact = next(iter(_contacts(cast, "mtech")))
    got = refusals_of(lambda: changes.call_close_early(call=call, user=contact, reason="x"))
    assert "officer_only" in got

    waiting = publish(cast, pipeline, opens_at=now + timedelta(days=2))
    got = refusals_of(lambda: changes.call_close_early(call=waiting, user=officer, reason="x"))
    assert "has not opened yet" in got["call_not_open"][0]
    assert not CallChange.objects.exists()
    assert not Notification.objects.filter(kind__startswith="call_").exists()


def test_a_refused_extension_keeps_what_was_typed_beside_the_field(build, pipeline, client):
    cast = build("consortium")
    call = publish(cast, pipeline)
    sign_in(client, cast.officer)
    earlier = _local(call.closes_at - timedelta(days=1))
    response = client.post(
        reverse("calls:extend", args=[cast.hub.slug, call.pk]),
        {"extend-closes_at": earlier, "extend-reason": "Half term."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{earlier}"' in html and "Half term." in html
    assert 'href="#id_extend-closes_at"' in html  # the summary links to the field
    assert "an extension must close later" in html


# ── query counts ────────────────────────────────────────────────────────────


def _queries(client, url) -> int:
    client.get(url)  # warm: the person's standing and unread count are then cached
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_call_page_costs_the_same_for_2_or_12_expressions_of_interest(build, pipeline, client):
    cast = build("consortium")
    call = publish(cast, pipeline)
    officer = Client()
    sign_in(officer, cast.officer)
    urls = [
        (officer, reverse("calls:detail", args=[cast.hub.slug, call.pk])),
        (Client(), reverse("calls:public_detail", args=[cast.hub.slug, call.pk])),
    ]
    User = get_user_model()

    def received(n: int, start: int) -> None:
        for i in range(start, start + n):
            partner = PartnerOrganisation.objects.create(
                hub=cast.hub, name=f"Bidder {i}", organisation_type="charity"
            )
            user = User.objects.create_user(f"bidder{i}@example.org", f"bidder{i}@example.org")
            Membership.objects.create(
                hub=cast.hub, user=user, role=Role.PARTNER_CONTACT, partner=partner
            )
            cast.partners[f"bidder{i}"] = partner
            cast.contacts[partner.pk] = user
            proposal = draft(call, cast, f"bidder{i}")
            if i % 2:
                submit(proposal, cast)
        changes.call_extend(
            call=call,
            user=cast.officer,
            closes_at=call.closes_at + timedelta(days=1),
            reason=f"More time ({start}).",
        )

    received(2, 0)
    few = [_queries(c, url) for c, url in urls]
    received(10, 2)
    assert [_queries(c, url) for c, url in urls] == few
    assert call.proposals.filter(status=ProposalStatus.SUBMITTED).count() == 6
    assert few[0] <= 30, few
