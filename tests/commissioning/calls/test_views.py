"""The call pages, as each role sees them: the access matrix, the query
counts, and the expression of interest form saving, refusing and keeping."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from commissioning.calls import services as calls
from commissioning.models import Call, Proposal, ProposalStatus
from partners.models import PartnerOrganisation
from tests.access import ALL_200, assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import (
    ANSWERS,
    close,
    draft,
    open_call_commission,
    publish,
    submit,
)
from tests.commissioning.calls.test_uploads import PDF, upload

pytestmark = pytest.mark.django_db

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "calls:public_list": ("get", ALL_200),
    "calls:public_detail": ("get", ALL_200),
    "calls:document": ("get", ALL_200),
    "calls:index": ("get", members(200)),
    "calls:detail": ("get", members(200, other_area_lead=404, other_partner=404)),
    "calls:proposals": (
        "get",
        members(200, board_member=404, other_area_lead=404, partner_contact=404, other_partner=404),
    ),
    "calls:publish": (
        "post",
        members(
            302,
            approver=403,
            hub_admin=403,
            board_member=404,
            other_area_lead=404,
            partner_contact=404,
            other_partner=404,
        ),
    ),
    "calls:eoi_start": (
        "post",
        members(403, partner_contact=302, other_area_lead=404, other_partner=404),
    ),
    "calls:proposal": (
        "get",
        members(200, board_member=404, other_area_lead=404, other_partner=404),
    ),
    "calls:eoi_edit": ("get", members(404, partner_contact=200)),
    "calls:eoi_autosave": ("post", members(404, partner_contact=200)),
    "calls:eoi_withdraw": (
        "post",
        members(403, partner_contact=302, board_member=404, other_area_lead=404, other_partner=404),
    ),
    "calls:attachment": (
        "get",
        members(200, board_member=404, other_area_lead=404, other_partner=404),
    ),
}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _version(proposal) -> dict[str, str]:
    """The draft version the form carries: the one saved now (hubs/drafts.py)."""
    proposal.refresh_from_db(fields=["draft_version"])
    return {"draft_version": str(proposal.draft_version)}


def _lines(costs=(), funding=()) -> dict[str, str]:
    body = {
        "costs-TOTAL_FORMS": str(len(costs)),
        "costs-INITIAL_FORMS": "0",
        "funding-TOTAL_FORMS": str(len(funding)),
        "funding-INITIAL_FORMS": "0",
    }
    for i, (description, amount) in enumerate(costs):
        body |= {f"costs-{i}-description": description, f"costs-{i}-amount": amount}
    for i, (kind, description, amount) in enumerate(funding):
        body |= {
            f"funding-{i}-kind": kind,
            f"funding-{i}-description": description,
            f"funding-{i}-amount": amount,
        }
    return body


def publish_body(hub) -> dict[str, str]:
    now = timezone.localtime()
    body = {
        "title": "Luton ensembles",
        "summary": "Ensembles for young people in Luton.",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "is_public": "on",
        "word_limit": "500",
    }
    return body | {f"weight_{c.pk}": str(c.weight) for c in hub.criteria.all()}


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    unpublished, _ = open_call_commission(blmk, pipeline)
    call = publish(blmk, pipeline, documents=[upload("Guidance.pdf", PDF)])
    other_call = publish(blmk, pipeline)
    lutonms = blmk.partners["lutonms"]
    contact = blmk.contacts[lutonms.pk]
    proposal = draft(call, blmk, "lutonms")
    calls.proposal_save_draft(proposal=proposal, user=contact, files=[upload("plan.pdf", PDF)])
    submit(proposal, blmk)
    draft_proposal = draft(other_call, blmk, "lutonms")
    slug = blmk.hub.slug
    args = {
        "calls:public_list": [slug],
        "calls:public_detail": [slug, call.pk],
        "calls:document": [slug, call.pk, call.documents.get().pk],
        "calls:index": [slug],
        "calls:detail": [slug, call.pk],
        "calls:proposals": [slug, call.pk],
        "calls:publish": [slug, unpublished.reference],
        "calls:eoi_start": [slug, other_call.pk],
        "calls:proposal": [slug, proposal.pk],
        "calls:eoi_edit": [slug, draft_proposal.pk],
        "calls:eoi_autosave": [slug, draft_proposal.pk],
        "calls:eoi_withdraw": [slug, proposal.pk],
        "calls:attachment": [slug, proposal.pk, proposal.attachments.get().pk],
    }
    bodies = {
        "calls:publish": publish_body(blmk.hub),
        "calls:eoi_autosave": {"title": "Autosaved"} | _lines() | _version(draft_proposal),
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


# ── query counts ────────────────────────────────────────────────────────────


def _queries(client, url) -> int:
    client.get(url)  # warm: the person's standing and unread count are then cached
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_calls_pages_cost_the_same_queries_for_3_or_30_calls(client, build, pipeline):
    cast = build("consortium")
    partner = Client()
    sign_in(client, cast.officer)
    sign_in(partner, cast.contacts[cast.partners["mtech"].pk])
    urls = [
        (client, reverse("calls:index", args=[cast.hub.slug])),
        (partner, reverse("calls:index", args=[cast.hub.slug])),
        (Client(), reverse("calls:public_list", args=[cast.hub.slug])),
    ]
    for _ in range(3):
        draft(publish(cast, pipeline), cast, "mtech")
    few = [_queries(c, url) for c, url in urls]
    for _ in range(27):
        draft(publish(cast, pipeline), cast, "mtech")
    assert [_queries(c, url) for c, url in urls] == few
    response = Client().get(urls[2][1])
    assert response.content.decode().count("Inclusive ensembles: call for") == 30


def test_the_proposals_of_a_call_cost_the_same_queries_for_3_or_30(client, build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    sign_in(client, cast.officer)
    url = reverse("calls:proposals", args=[cast.hub.slug, call.pk])

    def received(n: int, start: int) -> None:
        for i in range(start, start + n):
            partner = PartnerOrganisation.objects.create(
                hub=cast.hub, name=f"Bidder {i}", organisation_type="charity"
            )
            Proposal.objects.create(
                hub=cast.hub,
                commission=call.commission,
                call=call,
                partner=partner,
                title=f"Bid {i}",
                status=ProposalStatus.SUBMITTED,
                submitted_at=timezone.now(),
            )

    received(3, 0)
    few = _queries(client, url)
    received(27, 3)
    assert _queries(client, url) == few
    first = client.get(url).content.decode()
    assert first.count("Bid ") == 25 and "Page 1 of 2" in first
    assert client.get(url, {"page": 2}).content.decode().count("Bid ") == 5


# ── the pages ───────────────────────────────────────────────────────────────


def test_the_public_page_lists_only_open_public_calls(build, pipeline):
    cast = build("consortium")
    shown = publish(cast, pipeline, title="Open and public")
    publish(cast, pipeline, title="Partners only", is_public=False)
    later = timezone.now() + timedelta(days=3)
    publish(cast, pipeline, title="Not yet open", opens_at=later, closes_at=later + timedelta(1))
    closed = publish(cast, pipeline, title="Already closed")
    close(closed)
    page = Client().get(reverse("calls:public_list", args=[cast.hub.slug])).content.decode()
    assert "Open and public" in page
    assert not any(t in page for t in ("Partners only", "Not yet open", "Already closed"))
    detail = Client().get(reverse("calls:public_detail", args=[cast.hub.slug, shown.pk]))
    text = detail.content.decode()
    for question in ("Title", "How you will deliver it", "Quality and inclusion", "Budget"):
        assert question in text
    assert "The budget: where the money comes from" in text


def test_blmk_partners_see_calls_of_their_own_area(client, build, pipeline):
    cast = build("blmk")
    call = publish(cast, pipeline)  # Luton
    url = reverse("calls:index", args=[cast.hub.slug])
    luton, mk = cast.partners["lutonbeats"], cast.partners["mkrock"]
    sign_in(client, cast.contacts[luton.pk])
    assert call.title in client.get(url).content.decode()
    other = Client()
    sign_in(other, cast.contacts[mk.pk])
    assert call.title not in other.get(url).content.decode()


def test_the_commission_s_category_and_reason_show_when_publishing(client, build, pipeline):
    cast = build("herts")
    commission, officer = open_call_commission(cast, pipeline, reason="Several could deliver it.")
    sign_in(client, officer)
    page = client.get(reverse("calls:publish", args=[cast.hub.slug, commission.reference]))
    assert "Several could deliver it." in page.content.decode()
    kent = build("kent")
    call = publish(kent, pipeline)
    category = call.commission.service_category
    assert category.name == "Schools (Funded Opportunities)"
    public = Client().get(reverse("calls:public_detail", args=[kent.hub.slug, call.pk]))
    assert "Service category" in public.content.decode()
    assert escape(category.name) in public.content.decode()


def test_a_partner_still_finds_its_answered_call_after_the_deadline(client, build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "mtech"), cast)
    close(call)
    sign_in(client, cast.contacts[proposal.partner_id])
    assert call.title in client.get(reverse("calls:index", args=[cast.hub.slug])).content.decode()
    detail = client.get(reverse("calls:detail", args=[cast.hub.slug, call.pk]))
    assert "is submitted" in detail.content.decode()
    other = Client()
    sign_in(other, cast.contacts[cast.partners["uni"].pk])
    assert other.get(reverse("calls:detail", args=[cast.hub.slug, call.pk])).status_code == 404


def test_publishing_with_weights_that_do_not_add_up_shows_the_rule(client, build, pipeline):
    cast = build("kent")
    commission, officer = open_call_commission(cast, pipeline)
    sign_in(client, officer)
    body = publish_body(cast.hub)
    first = cast.hub.criteria.first()
    body[f"weight_{first.pk}"] = str(first.weight + 5)
    url = reverse("calls:publish", args=[cast.hub.slug, commission.reference])
    response = client.post(url, body)
    assert response.status_code == 400
    assert "weights add up to 105%; they must add up to 100%." in response.content.decode()
    assert not Call.objects.exists()
    assert client.post(url, publish_body(cast.hub)).status_code == 302
    assert Call.objects.get().commission == commission


@pytest.fixture
def eoi(client, build, pipeline):
    cast = build("leics")
    call = publish(cast, pipeline)
    partner = cast.partners["leicjazz"]
    sign_in(client, cast.contacts[partner.pk])
    start = client.post(reverse("calls:eoi_start", args=[cast.hub.slug, call.pk]))
    proposal = Proposal.objects.get(call=call, partner=partner)
    assert start.url == reverse("calls:eoi_edit", args=[cast.hub.slug, proposal.pk])
    return SimpleNamespace(cast=cast, call=call, proposal=proposal, url=start.url)


def test_save_draft_keeps_everything_unchecked(client, eoi):
    proposal = eoi.proposal
    url = eoi.url
    body = {"title": "Draft", "action": "save"} | _lines([("Tutors", "£1,000")], [])
    response = client.post(url, body | _version(eoi.proposal))
    assert response.status_code == 302 and response.url == url
    proposal.refresh_from_db()
    assert proposal.title == "Draft" and proposal.status == ProposalStatus.DRAFT
    assert list(proposal.budget_lines.values_list("description", "amount")) == [("Tutors", 1000)]
    page = client.get(url).content.decode()
    assert "Draft saved at" in page and 'value="Tutors"' in page


def test_a_refused_submission_shows_each_message_beside_its_field(client, eoi):
    proposal = eoi.proposal
    url = eoi.url
    body = (
        ANSWERS
        | {"action": "submit"}
        | _lines([("Tutors", "10000")], [("hub_grant", "", "6500"), ("other", "ACE", "3000")])
    )
    response = client.post(url, body | _version(eoi.proposal))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="costs-error"' in page
    assert "The funding sources add up to £9,500.00 but the costs add up to £10,000.00" in page
    assert ANSWERS["delivery_outline"] in page, "the bound form is re-rendered"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.delivery_outline == ANSWERS["delivery_outline"]
    assert proposal.funding_sources.count() == 2

    body |= _lines([("Tutors", "10000")], [("hub_grant", "", "6500"), ("other", "ACE", "3500")])
    response = client.post(url, body | _version(eoi.proposal))
    assert response.status_code == 400
    assert 'id="funding-error"' in response.content.decode()
    assert "this proposal has 35%" in response.content.decode()


def test_answers_over_the_word_limit_are_refused_beside_the_field(client, eoi):
    call = eoi.call
    url = eoi.url
    long = " ".join(["word"] * (call.word_limit + 3))
    body = ANSWERS | {"summary": long, "action": "submit"} | _lines()
    page = client.post(url, body | _version(eoi.proposal)).content.decode()
    assert 'id="id_summary_error"' in page
    assert f"is {call.word_limit + 3} words; this call allows up to {call.word_limit}" in page
    assert f"{call.word_limit + 3} of {call.word_limit} words: 3 too many" in page


def test_a_number_that_is_not_one_is_shown_and_the_rest_kept(client, eoi):
    proposal = eoi.proposal
    url = eoi.url
    body = {"title": "Kept", "action": "save"} | _lines([("Tutors", "lots")], [])
    response = client.post(url, body | _version(eoi.proposal))
    assert response.status_code == 400
    assert 'value="lots"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Kept"


def test_add_another_line_without_javascript(client, eoi):
    url = eoi.url
    response = client.post(
        url, {"action": "add_costs"} | _lines([("Tutors", "100")], []) | _version(eoi.proposal)
    )
    assert response.url == f"{url}?add=costs#costs"
    page = client.get(response.url).content.decode()
    assert 'name="costs-TOTAL_FORMS" value="2"' in page


def test_autosave_answers_with_the_time(client, eoi):
    cast = eoi.cast
    proposal = eoi.proposal
    autosave = reverse("calls:eoi_autosave", args=[cast.hub.slug, proposal.pk])
    response = client.post(autosave, {"summary": "Typed so far"} | _lines() | _version(proposal))
    assert response.status_code == 200
    assert response.json()["message"].startswith("Saved at ")
    proposal.refresh_from_db()
    assert proposal.summary == "Typed so far"


def test_late_submission_through_the_form_keeps_the_draft(client, eoi):
    call = eoi.call
    proposal = eoi.proposal
    url = eoi.url
    close(call)
    body = ANSWERS | {"action": "submit"} | _lines([("Tutors", "100")], [("other", "x", "100")])
    response = client.post(url, body | _version(eoi.proposal))
    assert response.status_code == 400
    assert "This call closed at 12:00 on 3 March 2026" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT and proposal.title == ANSWERS["title"]


def test_submitting_shows_the_receipt_and_withdraw(client, eoi):
    cast = eoi.cast
    call = eoi.call
    proposal = eoi.proposal
    url = eoi.url
    funding = [("hub_grant", "", "5000"), ("other", "Trust", "5000")]
    body = ANSWERS | {"action": "submit"} | _lines([("Tutors", "10000")], funding)
    response = client.post(url, body | _version(eoi.proposal), follow=True)
    page = response.content.decode()
    assert "Expression of interest submitted at" in page
    assert f"{call.commission.reference}/EOI-" in page
    assert "Withdraw this expression of interest" in page
    withdraw = reverse("calls:eoi_withdraw", args=[cast.hub.slug, proposal.pk])
    assert (
        "Expression of interest withdrawn." in client.post(withdraw, follow=True).content.decode()
    )


# ── no lost input: draft versions (hubs/drafts.py) ──────────────────────────


def _autosave_url(eoi) -> str:
    return reverse("calls:eoi_autosave", args=[eoi.cast.hub.slug, eoi.proposal.pk])


def test_an_autosave_carrying_an_older_version_is_refused(client, eoi):
    proposal = eoi.proposal
    loaded = _version(proposal)
    newer = {"summary": "Newer"} | _lines([("Tutors", "100"), ("Venue", "50")], [])
    saved = client.post(_autosave_url(eoi), newer | loaded)
    assert saved.status_code == 200
    assert saved.json()["draft_version"] == int(loaded["draft_version"]) + 1

    older = {"summary": "Older"} | _lines([("Tutors", "100")], [])
    late = client.post(_autosave_url(eoi), older | loaded)
    assert late.status_code == 409
    assert late.json()["saved"] is False
    assert "was saved from another page" in late.json()["message"]
    proposal.refresh_from_db()
    assert proposal.summary == "Newer"
    assert list(proposal.budget_lines.values_list("description", flat=True)) == ["Tutors", "Venue"]


def test_an_autosave_without_a_version_is_refused(client, eoi):
    response = client.post(_autosave_url(eoi), {"summary": "Whose?"} | _lines())
    assert response.status_code == 409
    eoi.proposal.refresh_from_db()
    assert eoi.proposal.summary == ""


def test_an_autosave_sent_by_htmx_gets_words_and_the_next_version(client, eoi):
    loaded = _version(eoi.proposal)
    body = {"summary": "Typed so far"} | _lines() | loaded
    response = client.post(_autosave_url(eoi), body, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("Saved at ")
    following = int(loaded["draft_version"]) + 1
    assert f'value="{following}" id="draft-version" hx-swap-oob="true"' in html

    late = client.post(_autosave_url(eoi), body, headers={"HX-Request": "true"})
    assert late.status_code == 409
    assert "Not saved." in late.content.decode() and "hx-swap-oob" not in late.content.decode()


def test_a_stale_page_shows_what_is_saved_and_keeps_what_was_typed(client, eoi):
    proposal = eoi.proposal
    loaded = _version(proposal)
    other_tab = {"title": "From the other tab"} | _lines([("Hall", "80")], [])
    assert client.post(_autosave_url(eoi), other_tab | loaded).status_code == 200

    typed = {"title": "Typed here", "action": "submit"} | _lines([("Typed cost", "5")], [])
    response = client.post(eoi.url, typed | loaded)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Typed here"' in page and 'value="Typed cost"' in page
    assert "What is saved now" in page and "From the other tab" in page and "Hall: £80.00" in page
    assert "not yet saved" in page
    proposal.refresh_from_db()
    assert proposal.title == "From the other tab" and proposal.status == ProposalStatus.DRAFT

    # The page now carries the version saved: saving it again keeps what it shows.
    shown = re.search(r'name="draft_version" value="(\d+)"', page).group(1)
    assert shown == str(proposal.draft_version)
    again = client.post(eoi.url, typed | {"action": "save", "draft_version": shown})
    assert again.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Typed here"
    assert list(proposal.budget_lines.values_list("description", flat=True)) == ["Typed cost"]


def test_a_submit_moves_the_version_on_so_a_late_autosave_is_refused(client, eoi):
    proposal = eoi.proposal
    loaded = _version(proposal)
    funding = [("hub_grant", "", "5000"), ("other", "Trust", "5000")]
    body = ANSWERS | {"action": "submit"} | _lines([("Tutors", "10000")], funding)
    assert client.post(eoi.url, body | loaded).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.draft_version == int(loaded["draft_version"]) + 2  # saved, then submitted
    late = client.post(_autosave_url(eoi), {"summary": "Late"} | _lines() | loaded)
    assert late.status_code == 409


def test_another_hubs_draft_is_not_found(client, eoi, build, pipeline):
    kent = build("kent")
    theirs = draft(publish(kent, pipeline), kent, "coastal")
    body = {"summary": "Not mine"} | _lines() | _version(theirs)
    for slug in (eoi.cast.hub.slug, kent.hub.slug):
        for name in ("calls:eoi_autosave", "calls:eoi_edit"):
            response = client.post(reverse(name, args=[slug, theirs.pk]), body)
            assert response.status_code == 404, (slug, name)
    theirs.refresh_from_db()
    assert theirs.summary != "Not mine"


def test_an_autosave_costs_the_same_queries_for_2_or_20_budget_rows(client, eoi):
    counts = []
    for n in (2, 20):
        body = {"summary": f"{n} rows"} | _lines([(f"Cost {i}", "10") for i in range(n)], [])
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(_autosave_url(eoi), body | _version(eoi.proposal))
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    print(f"autosave: {counts[0]} queries")  # shown with -s
    # The compare-and-set is one UPDATE beside the row lock, not a second read.
    claims = [q["sql"] for q in ctx if 'SET "draft_version" = ("' in q["sql"]]
    assert len(claims) == 1 and '"draft_version" = ' in claims[0].split("WHERE")[1]
