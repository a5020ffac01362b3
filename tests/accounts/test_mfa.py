"""Everyone who can take a decision signs in with a second factor: HLO staff,
service leads, approvers, the chair, hub admins and site administrators.

Personas: `officer` (HLO staff), `approver`, `hub_admin`, `chair` and
`service_lead` must use one; `board_member` and `partner_contact` need not."""

from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from accounts.mfa import MFA_ROLES, mfa_role, request_mfa_role, totp_code
from demo.data import DEMO_TOTP_SECRET
from hubs.models import Role
from hubs.services import ROLE_PERMISSIONS, membership_grant
from tests.accounts.conftest import PASSWORD
from tests.auth_helpers import TEST_TOTP_SECRET, give_authenticator, needs_mfa, sign_in

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
ENROL = reverse("mfa_activate_totp")
PUBLIC_PAGE = reverse("hubs:index")


def sign_in_form(client, email: str):
    return client.post(LOGIN, {"login": email, "password": PASSWORD})


def wrong_code(secret: str) -> str:
    right = totp_code(secret)
    return "000000" if right != "000000" else "111111"


def test_an_approver_without_an_app_is_sent_to_set_one_up(client, approver):
    sign_in_form(client, "amir@example.org")

    home = client.get("/")
    public = client.get(PUBLIC_PAGE)
    page = client.get(home.url)

    assert home.status_code == public.status_code == 302
    assert home.url == f"{ENROL}?next=/"
    assert public.url.startswith(ENROL)
    assert page.status_code == 200
    assert "Your role as approver needs a second factor: set up an authenticator app." in page.text
    assert page.text.count("<h1") == 1
    assert 'autocomplete="one-time-code"' in page.text
    assert 'src="data:image/svg+xml;base64,' in page.text


def test_the_approver_sets_up_the_app_with_a_valid_code_and_is_let_through(client, approver):
    sign_in_form(client, "amir@example.org")
    page = client.get(ENROL)
    secret = page.context["form"].secret

    refused = client.post(ENROL, {"code": wrong_code(secret)})
    done = client.post(ENROL, {"code": totp_code(secret)})

    assert refused.status_code == 200
    assert "Incorrect code." in refused.text
    assert done.status_code == 302
    assert done.url == reverse("mfa_view_recovery_codes")
    stored = Authenticator.objects.get(user=approver, type=Authenticator.Type.TOTP)
    assert stored.data["secret"] != secret  # encrypted at rest
    assert decrypt(stored.data["secret"]) == secret
    codes = client.get(done.url)
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert client.get(PUBLIC_PAGE).status_code == 200
    assert not client.get("/").get("Location", "").startswith("/accounts/2fa")


def test_an_approver_with_an_app_must_enter_its_code_at_sign_in(client, approver):
    give_authenticator(approver)

    after_password = sign_in_form(client, "amir@example.org")
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong_code(TEST_TOTP_SECRET)})

    assert after_password.status_code == 302
    assert after_password.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 200
    assert "Incorrect code." in refused.text
    assert "_auth_user_id" not in client.session

    accepted = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})

    assert accepted.status_code == 302
    assert accepted.url == "/"
    assert client.session["_auth_user_id"] == str(approver.pk)
    assert client.get(PUBLIC_PAGE).status_code == 200


@pytest.mark.parametrize(
    ("persona", "words"),
    [
        ("officer", "HLO staff"),  # awards, and countersigns agreements for the HLO
        ("service_lead", "service lead"),  # awards in their area
        ("chair", "chair"),  # decides terminations
    ],
)
def test_everyone_who_decides_is_sent_to_set_up_an_app(client, request, persona, words):
    person = request.getfixturevalue(persona)
    sign_in_form(client, person.email)

    home = client.get("/")
    page = client.get(home.url)

    assert home.status_code == 302
    assert home.url == f"{ENROL}?next=/"
    assert f"Your role as {words} needs a second factor: set up an authenticator app." in page.text


@pytest.mark.parametrize("persona", ["board_member", "partner_contact"])
def test_people_who_only_comment_or_answer_are_not_asked(client, request, persona):
    person = request.getfixturevalue(persona)
    response = sign_in_form(client, person.email)

    assert response.url == "/"
    assert client.get(PUBLIC_PAGE).status_code == 200
    assert not client.get("/").get("Location", "").startswith("/accounts/2fa")


def test_a_session_that_skipped_the_code_is_asked_for_it(client, approver):
    # The app exists, but this session signed in without it (the way the Django
    # admin's own form would): the code is asked for before anything else.
    give_authenticator(approver)
    client.force_login(approver)

    response = client.get(PUBLIC_PAGE)
    page = client.get(response.url)
    through = client.post(response.url, {"code": totp_code(TEST_TOTP_SECRET), "next": PUBLIC_PAGE})

    assert response.status_code == 302
    assert response.url == f"{reverse('mfa_reauthenticate')}?next={PUBLIC_PAGE}"
    assert "enter the code from your authenticator app" in page.text
    assert through.status_code == 302
    assert through.url == PUBLIC_PAGE
    assert client.get(PUBLIC_PAGE).status_code == 200


def test_a_hub_admin_needs_the_second_factor_for_the_admin_too(client, hub_admin):
    client.force_login(hub_admin)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(ENROL)


def test_a_superuser_needs_a_second_factor():
    root = get_user_model()(username="root@example.org", is_superuser=True)

    assert needs_mfa(root)
    assert mfa_role(root) == "site administrator"


def test_who_needs_a_second_factor(
    approver, hub_admin, officer, chair, service_lead, board_member, partner_contact
):
    people = (approver, hub_admin, officer, chair, service_lead, board_member, partner_contact)

    assert [mfa_role(u) for u in people] == [
        "approver",
        "hub admin",
        "HLO staff",
        "chair",
        "service lead",
        None,
        None,
    ]


def test_every_role_that_holds_a_deciding_permission_needs_a_second_factor():
    for role, perms in ROLE_PERMISSIONS.items():
        if perms & {"run_commissions", "approve_commissions", "configure_hub"}:
            assert role in MFA_ROLES, role
    assert Role.SERVICE_LEAD in MFA_ROLES  # run_commissions_in_area, on their area
    assert {Role.BOARD_MEMBER, Role.PARTNER_CONTACT}.isdisjoint(MFA_ROLES)


def test_a_chair_of_the_board_needs_it_though_board_members_do_not(hub, board_member):
    membership_grant(hub=hub, user=board_member, role=Role.BOARD_MEMBER, is_chair=True)

    assert mfa_role(board_member) == "chair"


def test_roles_are_asked_once_per_request(board_member, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = board_member

    with django_assert_num_queries(1):
        assert request_mfa_role(request) is None
        assert request_mfa_role(request) is None


def test_an_approver_cannot_turn_off_the_app(client, approver):
    sign_in(client, approver)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication." in response.text
    assert Authenticator.objects.filter(user=approver, type=Authenticator.Type.TOTP).exists()


def test_sign_in_helper_lets_people_through_who_need_the_second_factor(
    client, approver, officer, django_user_model
):
    root = django_user_model.objects.create_superuser("root@example.org", "root@example.org")
    for person in (approver, officer, root):
        client.logout()
        sign_in(client, person)
        assert client.get(PUBLIC_PAGE).status_code == 200, person


def test_the_demo_gives_approvers_and_hub_admins_the_demo_authenticator(build):
    cast = build("leics")

    for person in (cast.approver, cast.admin):
        stored = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
        assert decrypt(stored.data["secret"]) == DEMO_TOTP_SECRET
    assert not Authenticator.objects.filter(user__in=cast.board).exists()


def test_the_demo_gives_everyone_who_needs_a_second_factor_the_demo_authenticator(build):
    cast = build("leics")
    people = [cast.officer, cast.approver, cast.admin, cast.chair, *cast.leads.values()]

    for person in people:
        assert needs_mfa(person), person
        stored = Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).first()
        assert stored is not None, f"{person} has no demo authenticator"
        assert decrypt(stored.data["secret"]) == DEMO_TOTP_SECRET


def test_demo_code_prints_the_current_code():
    out, err = io.StringIO(), io.StringIO()

    call_command("demo_code", stdout=out, stderr=err)

    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()
    assert validate_totp_code(DEMO_TOTP_SECRET, code)
    assert DEMO_TOTP_SECRET in err.getvalue()
