"""A hub admin never widens their own membership in /admin/.

Issue 13, M2: the self-grant check ran only when a membership was added, so a
hub admin who also sits on the board could tick "is chair" on their own board
membership and decide terminations. Personas: `owner` is Avon's hub admin and
a board member there; `colleague` is Avon's other hub admin.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms import CheckboxInput
from django.test import RequestFactory
from django.urls import reverse

from hubs.admin import members
from hubs.models import Hub, Membership, Role
from hubs.services import membership_grant
from tests.auth_helpers import sign_in
from tests.factories import HubPolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def avon() -> Hub:
    hub = Hub.objects.create(name="Avon", slug="avon", hlo_name="Avon Music")
    HubPolicyFactory(hub=hub, approving_body="Avon leadership team")
    return hub


def person(django_user_model, name: str):
    return django_user_model.objects.create_user(
        username=name, email=f"{name}@example.org", password="a long enough password"
    )


@pytest.fixture
def owner(django_user_model, avon):
    user = person(django_user_model, "olive")
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    membership_grant(hub=avon, user=user, role=Role.BOARD_MEMBER)
    return user


@pytest.fixture
def colleague(django_user_model, avon):
    user = person(django_user_model, "cora")
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    return user


def board_seat(user, hub) -> Membership:
    return Membership.objects.get(user=user, hub=hub, role=Role.BOARD_MEMBER)


def change_url(membership: Membership) -> str:
    return reverse("admin:hubs_membership_change", args=[membership.pk])


def post_as_chair(client, membership: Membership):
    """Post the change page back as it was, with "is chair" ticked."""
    url = change_url(membership)
    form = client.get(url).context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = value
    data["is_chair"] = "on"
    return client.post(url, data)


def test_a_hub_admin_cannot_make_themself_chair(client, avon, owner):
    sign_in(client, owner)
    seat = board_seat(owner, avon)

    response = post_as_chair(client, seat)

    assert response.status_code in (200, 302, 403)
    assert not board_seat(owner, avon).is_chair
    assert not owner.has_perm("hubs.decide_terminations", avon)


def test_their_own_membership_shows_whether_they_chair_without_offering_it(client, avon, owner):
    sign_in(client, owner)

    form = client.get(change_url(board_seat(owner, avon))).context["adminform"].form

    assert "is_chair" not in form.fields
    assert "title" in form.fields  # their own title is theirs to correct


def test_another_hub_admin_may_make_them_chair(client, avon, owner, colleague):
    sign_in(client, colleague)

    response = post_as_chair(client, board_seat(owner, avon))

    assert response.status_code == 302
    assert board_seat(owner, avon).is_chair
    assert owner.has_perm("hubs.decide_terminations", avon)


def test_the_form_refuses_a_chair_for_oneself_beside_the_field(avon, owner, colleague):
    seat = board_seat(owner, avon)
    # The change form as another hub admin gets it ("is chair" offered),
    # saved by the member themself.
    request = RequestFactory().get("/admin/")
    request.user = colleague
    model_admin = members.MembershipAdmin(Membership, admin.site)
    form_class = model_admin.get_form(request, seat, change=True)
    form_class.granted_by = owner

    form = form_class({"title": "", "is_chair": "on"}, instance=seat)

    assert not form.is_valid()
    assert form.errors["is_chair"] == [members.SELF_GRANT]


def test_saving_refuses_any_widening_of_ones_own_membership(avon, owner, colleague):
    seat = board_seat(owner, avon)
    chair = Membership(hub=avon, user=owner, role=Role.BOARD_MEMBER, is_chair=True)
    approver = Membership(hub=avon, user=owner, role=Role.APPROVER)
    retitled = Membership(hub=avon, user=owner, role=Role.BOARD_MEMBER, title="Trustee")

    assert members.self_grant_refusal(by=owner, after=chair, before=seat) == members.SELF_GRANT
    assert members.self_grant_refusal(by=owner, after=approver, before=seat) == members.SELF_GRANT
    assert members.self_grant_refusal(by=owner, after=approver, before=None) == members.SELF_GRANT
    assert members.self_grant_refusal(by=owner, after=retitled, before=seat) is None
    assert members.self_grant_refusal(by=colleague, after=chair, before=seat) is None
