"""Invitations to respond to a call (BLMK's direct outreach): HLO staff send
the call to organisations of the hub or to email addresses; each link shows
the call and makes an account, an expired one says so beside the field with
nothing typed lost; and a yearly round for schools takes only schools."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from commissioning.calls import services as calls
from commissioning.calls.invitations import (
    call_invitation_refusal,
    call_invitation_use_refusal,
    call_invitations_send,
)
from commissioning.models import CallInvitation
from hubs.refusals import Refused
from notices.models import OutboxMessage
from partners.registration.services import organisation_register
from tests.access import ALL_200, assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import close, draft, publish
from tests.factories import CallInvitationFactory, newcomer

pytestmark = pytest.mark.django_db
User = get_user_model()

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    # The call's staff (HLO staff, the area's lead; approvers and hub admins
    # see it, and are told only HLO staff invite).
    "calls:invitations": (
        "get",
        members(200, board_member=404, other_area_lead=404, partner_contact=404, other_partner=404),
    ),
    # The link is anyone's who has it.
    "calls:invited": ("get", ALL_200),
}
LINK = re.compile(r"https?://[^/\s]*(/hubs/[\w-]+/calls/\d+/invited/[\w-]+/)")
PASSWORD = "a-long-enough-passphrase-2026"


@pytest.fixture
def blmk(build):
    return build("blmk")


@pytest.fixture
def call(blmk, pipeline):
    return publish(blmk, pipeline)


def link_for(email: str) -> str:
    return LINK.search(OutboxMessage.objects.filter(to_email=email).latest("pk").body).group(1)


# ── sending ──────────────────────────────────────────────────────────────────


def test_hlo_staff_send_a_call_to_addresses_and_organisations(blmk, call):
    dhol = blmk.partners["mkrock"]
    sent = call_invitations_send(
        call=call,
        by=blmk.officer,
        emails=["Hello@SteelPan.example.org", "hello@steelpan.example.org", "grime@mk.example.org"],
        partners=[dhol],
    )

    assert sorted(i.invitee for i in sent) == [
        dhol.name,
        "grime@mk.example.org",
        "hello@steelpan.example.org",
    ]
    outbox = OutboxMessage.objects.filter(dedupe_key__startswith="call_invitation:")
    contact = blmk.contacts[dhol.pk]
    assert set(outbox.values_list("to_email", flat=True)) == {
        "hello@steelpan.example.org",
        "grime@mk.example.org",
        contact.email,
    }
    body = outbox.get(to_email="grime@mk.example.org").body
    assert call.title in body and "You do not need to be a partner" in body
    assert link_for("grime@mk.example.org").startswith(f"/hubs/blmk/calls/{call.pk}/invited/")
    # only the token's hash is kept
    token = link_for("grime@mk.example.org").rstrip("/").rsplit("/", 1)[1]
    assert not CallInvitation.objects.filter(token_hash=token).exists()


def test_inviting_again_sends_a_new_link_and_the_old_one_stops(client, blmk, call):
    call_invitations_send(call=call, by=blmk.officer, emails=["grime@mk.example.org"])
    first = link_for("grime@mk.example.org")
    call_invitations_send(call=call, by=blmk.officer, emails=["grime@mk.example.org"])
    second = link_for("grime@mk.example.org")

    assert first != second
    assert CallInvitation.objects.filter(call=call).count() == 1
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_only_the_calls_staff_invite_and_only_while_it_takes_responses(blmk, call):
    contact = blmk.contacts[blmk.partners["lutonms"].pk]
    assert call_invitation_refusal(call, blmk.approver).rule == "officer_only"
    assert call_invitation_refusal(call, contact).rule == "officer_only"
    with pytest.raises(Refused) as refused:
        call_invitations_send(call=call, by=blmk.approver, emails=["a@example.org"])
    assert refused.value.rule == "officer_only"

    close(call)
    call.refresh_from_db()
    assert call_invitation_refusal(call, blmk.officer).rule == "deadline_passed"


def test_a_bad_address_or_an_organisation_already_responding_is_refused(blmk, call):
    draft(call, blmk, "lutonms")
    with pytest.raises(Refused) as refused:
        call_invitations_send(
            call=call,
            by=blmk.officer,
            emails=["not an address"],
            partners=[blmk.partners["lutonms"]],
        )
    assert {(r.rule, r.field) for r in refused.value.refusals} == {
        ("email_invalid", "emails"),
        ("already_responding", "partners"),
    }
    assert not CallInvitation.objects.exists()


def test_the_invitations_page_sends_and_lists_with_errors_beside_the_fields(client, blmk, call):
    sign_in(client, blmk.officer)
    url = reverse("calls:invitations", args=["blmk", call.pk])

    refused = client.post(url, {"emails": "grime@mk.example.org\nnope"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert escape("'nope' is not an email address") in body
    assert "grime@mk.example.org\nnope" in body  # what was typed is kept

    sent = client.post(
        url, {"emails": "grime@mk.example.org", "partners": [blmk.partners["mkrock"].pk]}
    )
    assert sent.status_code == 302
    page = client.get(url).content.decode()
    assert "grime@mk.example.org" in page and "Link works until" in page


def test_the_invitations_page_costs_the_same_queries_for_2_or_20_invitations(client, blmk, call):
    sign_in(client, blmk.officer)
    url = reverse("calls:invitations", args=["blmk", call.pk])
    call_invitations_send(
        call=call, by=blmk.officer, emails=[f"a{n}@example.org" for n in range(2)]
    )
    client.get(url)  # warm: the person's standing is then cached

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    call_invitations_send(
        call=call, by=blmk.officer, emails=[f"b{n}@example.org" for n in range(18)]
    )
    assert count() == few


# ── the link ─────────────────────────────────────────────────────────────────


def test_the_link_shows_the_call_and_makes_an_account_leading_to_registration(client, blmk, call):
    call_invitations_send(call=call, by=blmk.officer, emails=["grime@mk.example.org"])
    link = link_for("grime@mk.example.org")

    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert call.title in body and "Create my account" in body
    assert 'value="grime@mk.example.org"' in body  # the address the link reached

    response = client.post(
        link,
        {
            "first_name": "Kai",
            "last_name": "Mensah",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    kai = User.objects.get(email="grime@mk.example.org")
    invitation = CallInvitation.objects.get(call=call)
    assert (invitation.used_by, invitation.used_at is not None) == (kai, True)
    confirm = mail.outbox[-1].body
    assert "/hubs/blmk/join/" in confirm.replace("%2F", "/")


def test_an_expired_link_says_so_and_offers_nothing(client, blmk, call):
    invitation = CallInvitationFactory(
        call=call, token="old-link", expires_at=timezone.now() - timedelta(days=1)
    )
    assert call_invitation_use_refusal(invitation).rule == "invitation_expired"

    page = client.get(reverse("calls:invited", args=["blmk", call.pk, "old-link"]))
    assert page.status_code == 410
    body = page.content.decode()
    assert "This invitation expired on" in body
    assert "<form" not in body.split('id="main"', 1)[-1]


def test_a_link_that_expires_while_the_form_is_filled_in_keeps_what_was_typed(client, blmk, call):
    CallInvitationFactory(call=call, token="soon", email="grime@mk.example.org")
    url = reverse("calls:invited", args=["blmk", call.pk, "soon"])
    assert client.get(url).status_code == 200
    CallInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(
        url,
        {
            "first_name": "Kai",
            "last_name": "Mensah",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_email_error"' in body and "This invitation expired on" in body
    assert 'value="Kai"' in body and 'value="Mensah"' in body
    assert not User.objects.filter(email="grime@mk.example.org").exists()


def test_someone_signed_in_goes_on_to_register_with_the_hub_or_to_the_call(client, blmk, call):
    CallInvitationFactory(call=call, token="tok")
    url = reverse("calls:invited", args=["blmk", call.pk, "tok"])
    kent_contact = newcomer("rosa@example.org")
    sign_in(client, kent_contact)

    assert "Continue to respond" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("partners:join", args=["blmk"]))

    organisation_register(
        hub=blmk.hub,
        user=kent_contact,
        profile={
            "name": "Rosa Bellamy",
            "organisation_type": "individual",
            "address_line_1": "1 High St",
            "town": "Luton",
            "postcode": "LU1 1AA",
        },
    )
    again = client.post(url)
    assert again["Location"] == reverse("calls:detail", args=["blmk", call.pk])


# ── the public call, from another hub ────────────────────────────────────────


def test_a_partner_of_another_hub_sees_the_public_call_and_is_offered_to_register(
    client, build, blmk, call
):
    herts = build("herts")
    sign_in(client, herts.contacts[next(iter(herts.partners.values())).pk])

    page = client.get(reverse("calls:public_detail", args=["blmk", call.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Register to express interest" in body
    assert reverse("partners:join", args=["blmk"]) in body
    # not the hub's own page of the call, which is not theirs (yet): a 404
    assert f'href="{reverse("calls:detail", args=["blmk", call.pk])}"' not in body
    join = client.get(reverse("partners:join", args=["blmk"]) + f"?next=/h/blmk/calls/{call.pk}/")
    assert join.status_code == 200 and "Register and continue" in join.content.decode()


# ── a yearly round for schools ───────────────────────────────────────────────


def test_a_schools_round_takes_schools_registered_with_their_urn(client, build, pipeline):
    kent = build("kent")
    call = publish(kent, pipeline, for_schools=True)
    assert call.for_schools
    charity = (
        kent.partners["medwaysings"]
        if "medwaysings" in kent.partners
        else next(p for p in kent.partners.values() if p.organisation_type == "charity")
    )
    with pytest.raises(Refused) as refused:
        calls.proposal_start_eoi(call=call, partner=charity, user=kent.contacts[charity.pk])
    assert refused.value.rule == "schools_only"

    head = newcomer("head@oakwood.example.org")
    school = organisation_register(
        hub=kent.hub,
        user=head,
        profile={
            "name": "Oakwood Primary School",
            "organisation_type": "school",
            "school_urn": "118234",
            "address_line_1": "Oak Lane",
            "town": "Maidstone",
            "postcode": "ME15 6AA",
        },
    )
    proposal = calls.proposal_start_eoi(call=call, partner=school, user=head)
    assert proposal.partner == school
    # the call's page tells the charity why it cannot start one
    sign_in(client, kent.contacts[charity.pk])
    page = client.get(reverse("calls:detail", args=[kent.hub.slug, call.pk])).content.decode()
    assert "Start an expression of interest" not in page
    assert "This call is a round for schools" in page
    public = (
        Client().get(reverse("calls:public_detail", args=[kent.hub.slug, call.pk])).content.decode()
    )
    assert "kind=school" in public and "a round for schools" in public


# ── the matrix ───────────────────────────────────────────────────────────────


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    call = publish(blmk, pipeline)
    CallInvitationFactory(call=call, token="matrix-token")
    args = {
        "calls:invitations": ["blmk", call.pk],
        "calls:invited": ["blmk", call.pk, "matrix-token"],
    }
    return personas(blmk, herts, django_user_model), args


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected)
