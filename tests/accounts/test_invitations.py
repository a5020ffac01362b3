"""Hub admins (and site administrators) invite people by email; the invitee
accepts from the link, with a new account or the one they have."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.invitations.rules import token_hash
from accounts.invitations.services import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from accounts.models import Invitation
from hubs.models import Membership, Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from notices.models import Notification, OutboxMessage
from tests.access import PERSONAS, assert_matrix, personas
from tests.accounts.conftest import PASSWORD
from tests.auth_helpers import sign_in
from tests.factories import (
    HubPolicyFactory,
    InvitationFactory,
    PartnerFactory,
    ServiceAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

# Anyone may open a link; a signed-in person it was not sent to is told so.
ACCESS_MATRIX = {
    "accounts:invitation": ("get", {**dict.fromkeys(PERSONAS, 403), "anonymous": 200}),
}
GOOD_PASSWORD = "a-long-enough-passphrase-2026"


def url(token: str) -> str:
    return reverse("accounts:invitation", args=[token])


def invite(by, hub, email="newcomer@example.org", role=Role.APPROVER, **kwargs):
    return invitation_create(by=by, hub=hub, email=email, role=role, **kwargs)


def refusal_of(call) -> Refused:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value


@pytest.fixture
def other_hub(db):
    return HubPolicyFactory().hub


@pytest.fixture
def other_admin(other_hub):
    user = UserFactory(username="otto@example.org", first_name="Otto")
    membership_grant(hub=other_hub, user=user, role=Role.HUB_ADMIN)
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.org", "root@example.org", PASSWORD)


# ── inviting ─────────────────────────────────────────────────────────────────


def test_the_invitation_email_goes_through_the_outbox_with_hub_role_inviter_link_and_expiry(
    hub, hub_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(hub_admin, hub, email=" NewComer@Example.org ")

    message = OutboxMessage.objects.get(to_email="newcomer@example.org")
    assert message.hub == hub
    assert message.subject == f"You are invited to join {hub.name} on hubcommission"
    assert f"{hub_admin.get_full_name()} has invited you to join {hub.name}" in message.body
    assert "as an approver." in message.body
    assert f"http://localhost:8000/accounts/invitation/{token}/" in message.body
    expires = timezone.localtime(invitation.expires_at)
    assert f"The link works until {expires:%-d %B %Y at %H:%M} (UK time)" in message.body
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"]]


def test_only_a_hash_of_the_token_is_kept(hub, hub_admin):
    invitation, token = invite(hub_admin, hub)

    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in [str(v) for v in stored.values()]
    assert stored["token_hash"] == token_hash(token)
    assert len(token) >= 40


@override_settings(INVITATION_EXPIRY_DAYS=2)
def test_the_link_expires_after_the_configured_days(hub, hub_admin):
    invitation, _ = invite(hub_admin, hub)

    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_by_default_the_link_works_for_seven_days(hub, hub_admin):
    invitation, _ = invite(hub_admin, hub)

    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_a_superuser_invites_a_hub_admin_to_any_hub(hub, superuser):
    invitation, _ = invite(superuser, hub, role=Role.HUB_ADMIN)

    assert invitation.invited_by == superuser


def test_a_hub_admin_may_invite_another_hub_admin_as_they_may_add_one(hub, hub_admin):
    invitation, _ = invite(hub_admin, hub, role=Role.HUB_ADMIN)

    assert invitation.role == Role.HUB_ADMIN


def test_another_hubs_admin_is_refused_in_words(hub, other_admin):
    refused = refusal_of(lambda: invite(other_admin, hub))

    assert refused.rule == "hub_admin_only"
    assert refused.message == (
        f"Only {hub.name}'s hub admins or a site administrator can invite people to it."
    )
    assert not Invitation.objects.exists()


def test_an_officer_cannot_invite(hub, officer):
    assert refusal_of(lambda: invite(officer, hub)).rule == "hub_admin_only"


def test_a_hub_admin_cannot_invite_themself(hub, hub_admin):
    refused = refusal_of(lambda: invite(hub_admin, hub, email="ADA@example.org", role="approver"))

    assert refused.rule == "self_grant"
    assert refused.field == "email"
    assert refused.message.startswith("You cannot invite yourself: another hub admin")


def test_the_role_needs_what_a_membership_needs(hub, hub_admin, other_hub):
    no_area = refusal_of(lambda: invite(hub_admin, hub, role=Role.SERVICE_LEAD))
    chair = refusal_of(lambda: invite(hub_admin, hub, role=Role.HLO_STAFF, is_chair=True))
    area_elsewhere = ServiceAreaFactory(hub=other_hub)
    elsewhere = refusal_of(
        lambda: invite(hub_admin, hub, role=Role.SERVICE_LEAD, service_area=area_elsewhere)
    )

    assert (no_area.field, no_area.message) == (
        "service_area",
        "A service lead leads one service area: choose it.",
    )
    assert (chair.field, chair.message) == (
        "is_chair",
        "Only an approver or a board member can be the chair.",
    )
    assert elsewhere.message == "That service area belongs to another hub."


def test_one_open_invitation_per_hub_email_and_role(hub, hub_admin):
    invite(hub_admin, hub)

    refused = refusal_of(lambda: invite(hub_admin, hub, email="newcomer@example.org"))

    assert refused.rule == "already_invited"
    assert "has already been invited to be an approver: resend that invitation" in refused.message
    invite(hub_admin, hub, role=Role.BOARD_MEMBER)  # another role is another invitation


def test_someone_who_holds_the_role_already_is_not_invited_to_it(hub, hub_admin, approver):
    refused = refusal_of(lambda: invite(hub_admin, hub, email=approver.email))

    assert refused.message == f"{approver.email} is already an approver in {hub.name}."


# ── resending and withdrawing ────────────────────────────────────────────────


def test_sending_again_gives_a_new_link_and_expiry_and_the_old_link_stops(client, hub, hub_admin):
    invitation, old = invite(hub_admin, hub)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    again, new = invitation_resend(by=hub_admin, invitation=invitation)

    assert new != old
    assert again.expires_at > timezone.now() + timedelta(days=6)
    assert OutboxMessage.objects.filter(to_email=invitation.email).count() == 2
    gone = client.get(url(old))
    assert gone.status_code == 404
    assert "We cannot find this invitation" in gone.text
    assert client.get(url(new)).status_code == 200


def test_another_hubs_admin_cannot_resend_or_withdraw(hub, hub_admin, other_admin):
    invitation, _ = invite(hub_admin, hub)

    assert refusal_of(lambda: invitation_resend(by=other_admin, invitation=invitation)).rule == (
        "hub_admin_only"
    )
    assert refusal_of(lambda: invitation_revoke(by=other_admin, invitation=invitation)).rule == (
        "hub_admin_only"
    )


def test_a_withdrawn_link_says_so_and_offers_nothing(client, hub, hub_admin):
    invitation, token = invite(hub_admin, hub)
    invitation_revoke(by=hub_admin, invitation=invitation)

    response = client.get(url(token))

    assert response.status_code == 410
    assert "This invitation was withdrawn on" in response.text
    assert "<form" not in response.text.split("<main", 1)[1]
    refused = refusal_of(lambda: invitation_resend(by=hub_admin, invitation=invitation))
    assert "This invitation was withdrawn on" in refused.message


# ── accepting ────────────────────────────────────────────────────────────────


def test_the_page_says_which_hub_and_role(client, hub, hub_admin):
    _, token = invite(hub_admin, hub, role=Role.BOARD_MEMBER, title="Trustee")

    response = client.get(url(token))

    assert response.status_code == 200
    assert f"has invited you to join {hub.name} as a board member." in response.text
    assert "Board member, Trustee" in response.text
    assert "Create my account and accept" in response.text
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_newcomer_makes_an_account_with_a_verified_email_and_takes_up_the_role(
    client, hub, hub_admin
):
    invitation, token = invite(hub_admin, hub, role=Role.BOARD_MEMBER)

    response = client.post(
        url(token),
        {
            "first_name": "Nia",
            "last_name": "Newcomer",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )

    user = User.objects.get(email="newcomer@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:dashboard", args=[hub.slug])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (user.username, user.get_full_name()) == ("newcomer@example.org", "Nia Newcomer")
    assert user.check_password(GOOD_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    assert Membership.objects.filter(hub=hub, user=user, role=Role.BOARD_MEMBER).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at
    # A board member needs no second factor: the dashboard opens.
    assert client.get(response["Location"]).status_code == 200


def test_a_weak_password_is_refused_beside_the_field_and_the_names_are_kept(client, hub, hub_admin):
    _, token = invite(hub_admin, hub)

    response = client.post(
        url(token),
        {"first_name": "Nia", "last_name": "", "password": "123", "password_again": "123"},
    )

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Enter your last name." in response.text
    assert "This password is too short. It must contain at least 12 characters." in response.text
    assert 'value="Nia"' in response.text
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_passwords_that_differ_are_refused(client, hub, hub_admin):
    _, token = invite(hub_admin, hub)

    response = client.post(
        url(token),
        {
            "first_name": "Nia",
            "last_name": "N",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD + "x",
        },
    )

    assert response.status_code == 400
    assert "The two passwords are not the same." in response.text


def test_a_role_that_needs_a_second_factor_goes_on_to_set_one_up(client, hub, hub_admin):
    _, token = invite(hub_admin, hub, role=Role.APPROVER)
    data = {"first_name": "A", "last_name": "B", "password": GOOD_PASSWORD}

    response = client.post(url(token), {**data, "password_again": GOOD_PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
    assert "Your role as approver needs a second factor" in response.text


def test_an_email_locked_out_by_failed_sign_ins_is_locked_out_here_too(client, hub, hub_admin):
    _, token = invite(hub_admin, hub)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "newcomer@example.org", "password": "x"})

    response = client.post(
        url(token),
        {
            "first_name": "Nia",
            "last_name": "N",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )

    assert response.status_code == 429
    assert "This account is locked" in response.text
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert not Membership.objects.filter(hub=hub, user__email="newcomer@example.org").exists()


def test_someone_with_an_account_signs_in_first_then_accepts(client, hub, hub_admin, officer):
    invitation, token = invite(hub_admin, hub, email=officer.email, role=Role.BOARD_MEMBER)

    anonymous = client.get(url(token))
    assert "You already have an account with olivia@example.org" in anonymous.text
    assert f"{reverse('account_login')}?next={url(token)}" in anonymous.text
    assert "password" not in anonymous.text.split("<main", 1)[1]

    signed_in = client.post(
        reverse("account_login") + f"?next={url(token)}",
        {"login": officer.email, "password": PASSWORD},
        follow=True,
    )
    # Olivia, as HLO staff, gives her code first; sign_in stands for that here.
    sign_in(client, officer)
    page = client.get(url(token))
    assert signed_in.status_code == 200
    assert "Accept the invitation" in page.text

    accepted = client.post(url(token))

    assert accepted.status_code == 302
    assert Membership.objects.filter(hub=hub, user=officer, role=Role.BOARD_MEMBER).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == officer


def test_someone_signed_in_with_another_email_is_told_plainly(client, hub, hub_admin, officer):
    _, token = invite(hub_admin, hub)
    sign_in(client, officer)

    response = client.get(url(token))
    posted = client.post(url(token))

    assert response.status_code == posted.status_code == 403
    assert (
        "This invitation is for newcomer@example.org, but you are signed in as "
        "olivia@example.org. Sign out, then open the link again."
    ) in response.text
    assert (
        not Membership.objects.filter(hub=hub, role=Role.APPROVER)
        .exclude(user__email="amir@example.org")
        .exists()
    )


def test_a_used_link_says_so_and_works_once(client, hub, hub_admin, officer):
    invitation, token = invite(hub_admin, hub, email=officer.email, role=Role.BOARD_MEMBER)
    invitation_accept(invitation=invitation, user=officer)

    response = client.get(url(token))

    assert response.status_code == 410
    assert "This invitation has already been used: it was accepted on" in response.text
    assert "<form" not in response.text.split("<main", 1)[1]
    refused = refusal_of(lambda: invitation_accept(invitation=invitation, user=officer))
    assert refused.rule == "invitation_used"


def test_an_expired_link_says_so_and_offers_nothing(client, hub):
    InvitationFactory(hub=hub, token="old-token", expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(url("old-token"))

    assert response.status_code == 410
    assert "This invitation expired on" in response.text
    assert escape(f"Ask {hub.name}'s hub admin to send you a new one.") in response.text
    assert "<form" not in response.text.split("<main", 1)[1]


def test_an_invitation_from_someone_no_longer_hub_admin_cannot_be_used(
    client, hub, hub_admin, officer
):
    invitation, _ = invite(hub_admin, hub, email=officer.email, role=Role.BOARD_MEMBER)
    Membership.objects.filter(user=hub_admin, role=Role.HUB_ADMIN).delete()

    refused = refusal_of(lambda: invitation_accept(invitation=invitation, user=officer))

    assert refused.rule == "inviter_gone"
    assert not Membership.objects.filter(user=officer, role=Role.BOARD_MEMBER).exists()


def test_the_inviter_is_told_when_it_is_accepted(hub, hub_admin, officer):
    invitation, _ = invite(hub_admin, hub, email=officer.email, role=Role.BOARD_MEMBER)

    invitation_accept(invitation=invitation, user=officer)

    told = Notification.objects.get(user=hub_admin, kind="invitation_accepted")
    assert told.subject == "Olivia Person " + officer.last_name.split()[-1] + (
        " accepted your invitation to be a board member"
    )


def test_accepting_grants_the_role_with_its_area_or_partner(hub, hub_admin, officer, approver):
    area = ServiceAreaFactory(hub=hub, name="Luton")
    partner = PartnerFactory(hub=hub, name="Luton Music Service")
    lead, _ = invite(hub_admin, hub, email=officer.email, role=Role.SERVICE_LEAD, service_area=area)
    contact, _ = invite(
        hub_admin, hub, email=approver.email, role=Role.PARTNER_CONTACT, partner=partner
    )

    invitation_accept(invitation=lead, user=officer)
    invitation_accept(invitation=contact, user=approver)

    assert Membership.objects.get(user=officer, role=Role.SERVICE_LEAD).service_area == area
    assert Membership.objects.get(user=approver, role=Role.PARTNER_CONTACT).partner == partner
    assert officer.has_perm("hubs.run_commissions_in_area", area)


def test_a_hub_admin_invited_by_a_superuser_can_configure_the_hub(hub, superuser, officer):
    invitation, _ = invite(superuser, hub, email=officer.email, role=Role.HUB_ADMIN)

    invitation_accept(invitation=invitation, user=officer)

    officer.refresh_from_db()
    assert officer.is_staff
    assert officer.has_perm("hubs.configure_hub", hub)


def test_an_unknown_link_is_not_found_in_words(client):
    response = client.get(url("no-such-token"))

    assert response.status_code == 404
    assert "We cannot find this invitation" in response.text


# ── the admin ────────────────────────────────────────────────────────────────

ADMIN_LIST = reverse("admin:accounts_invitation_changelist")
ADMIN_ADD = reverse("admin:accounts_invitation_add")


def admin_client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_a_hub_admin_lists_only_their_own_hubs_invitations(hub, hub_admin, other_admin):
    other_hub = other_admin.memberships.get().hub
    invite(hub_admin, hub, email="ours@example.org")
    theirs, _ = invite(other_admin, other_hub, email="theirs@example.org")

    listing = admin_client(hub_admin).get(ADMIN_LIST)
    elsewhere = admin_client(hub_admin).get(
        reverse("admin:accounts_invitation_change", args=[theirs.pk])
    )

    assert "ours@example.org" in listing.text
    assert "theirs@example.org" not in listing.text
    assert elsewhere.status_code == 302  # the admin's "doesn't exist"
    assert elsewhere["Location"] == reverse("admin:index")


def test_the_add_form_offers_only_the_hubs_own_areas_and_partners(hub, hub_admin, other_hub):
    ours = ServiceAreaFactory(hub=hub, name="Our area")
    ServiceAreaFactory(hub=other_hub, name="Their area")
    PartnerFactory(hub=hub, name="Our partner")
    PartnerFactory(hub=other_hub, name="Their partner")

    page = admin_client(hub_admin).get(ADMIN_ADD)

    assert "Our area" in page.text and "Our partner" in page.text
    assert "Their area" not in page.text and "Their partner" not in page.text
    assert other_hub.name not in page.text
    assert f'<option value="{hub.pk}" selected>' in page.text
    assert ours.pk


def test_adding_in_the_admin_sends_the_invitation(hub, hub_admin):
    response = admin_client(hub_admin).post(
        ADMIN_ADD,
        {"hub": hub.pk, "email": "new.approver@example.org", "role": Role.APPROVER},
        follow=True,
    )

    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by) == ("new.approver@example.org", hub_admin)
    assert "Invitation sent to new.approver@example.org. The link works until" in response.text
    assert OutboxMessage.objects.filter(to_email="new.approver@example.org").exists()


def test_self_invitation_in_the_admin_is_refused_beside_the_email(hub, hub_admin):
    response = admin_client(hub_admin).post(
        ADMIN_ADD, {"hub": hub.pk, "email": hub_admin.email, "role": Role.APPROVER}
    )

    assert response.status_code == 200
    errors = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    assert errors and "You cannot invite yourself" in errors.group(1)
    assert 'value="ada@example.org"' in response.text
    assert not Invitation.objects.exists()


def test_another_hub_cannot_be_chosen_in_the_admin(hub, hub_admin, other_hub):
    response = admin_client(hub_admin).post(
        ADMIN_ADD, {"hub": other_hub.pk, "email": "x@example.org", "role": Role.APPROVER}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Invitation.objects.exists()


def test_send_again_and_withdraw_from_the_list(hub, hub_admin):
    first, _ = invite(hub_admin, hub, email="one@example.org")
    second, _ = invite(hub_admin, hub, email="two@example.org")
    client = admin_client(hub_admin)

    client.post(ADMIN_LIST, {"action": "send_again", "_selected_action": [first.pk]})
    withdrawn = client.post(
        ADMIN_LIST, {"action": "withdraw", "_selected_action": [second.pk]}, follow=True
    )
    again = client.post(
        ADMIN_LIST, {"action": "send_again", "_selected_action": [second.pk]}, follow=True
    )

    assert OutboxMessage.objects.filter(to_email="one@example.org").count() == 2
    assert "Withdrew 1 invitation(s)." in withdrawn.text
    assert "Invitation to two@example.org: This invitation was withdrawn on" in again.text
    second.refresh_from_db()
    assert second.revoked_at is not None


def test_invitations_are_neither_edited_nor_deleted_in_the_admin(hub, hub_admin):
    invitation, _ = invite(hub_admin, hub)
    client = admin_client(hub_admin)
    change = reverse("admin:accounts_invitation_change", args=[invitation.pk])

    page = client.get(change)
    client.post(change, {"hub": hub.pk, "email": "changed@example.org", "role": Role.APPROVER})
    delete = client.get(reverse("admin:accounts_invitation_delete", args=[invitation.pk]))

    assert page.status_code == 200 and 'name="email"' not in page.text
    assert delete.status_code == 403
    invitation.refresh_from_db()
    assert invitation.email == "newcomer@example.org"


def test_the_admin_list_takes_the_same_queries_however_many_invitations(
    hub, hub_admin, django_assert_max_num_queries
):
    client = admin_client(hub_admin)
    for n in range(3):
        invite(hub_admin, hub, email=f"few{n}@example.org")
    client.get(ADMIN_LIST)  # warm: content types, session
    with django_assert_max_num_queries(15) as few:
        client.get(ADMIN_LIST)
    for n in range(20):
        invite(hub_admin, hub, email=f"many{n}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(ADMIN_LIST)

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# ── who gets what at the link ────────────────────────────────────────────────


@pytest.fixture
def matrix_world(build, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    _, token = invite(blmk.admin, blmk.hub, email="someone.new@example.org")
    return personas(blmk, herts, django_user_model), token


def test_access_matrix(matrix_world):
    people, token = matrix_world
    method, expected = ACCESS_MATRIX["accounts:invitation"]
    assert_matrix(people, "accounts:invitation", [token], method, expected)
