"""A policy version's own rows (routes, grounds...) change only while the
version is being written: a draft, or a new hub's first policy before any
commission has used it. The version in force, once commissions run under it,
is shown as it was approved and never changed in place; the hub admin saves
the policy to make a draft and changes the draft's routes."""

from __future__ import annotations

import pytest

from hubs.admin.scoping import rows_editable
from hubs.grounds import Ground
from hubs.models import DecisionRoute, HubPolicy, Role
from hubs.services import membership_grant, policy_current, policy_revise
from tests.auth_helpers import sign_in
from tests.hubs.test_admin import admin_url, make_commissions, make_hub, make_policy, make_user

pytestmark = pytest.mark.django_db


def _hub_admin(django_user_model, hub):
    user = make_user(django_user_model, "hana", staff=True)
    membership_grant(hub=hub, user=user, role=Role.HUB_ADMIN)
    return user


def test_a_first_policy_is_configured_until_a_commission_uses_it(django_user_model):
    hub = make_hub("Avon")
    policy = make_policy(hub)
    assert rows_editable(policy)

    make_commissions(hub, make_user(django_user_model, "olive"), 1)

    assert not rows_editable(policy)


def test_the_version_in_force_is_read_only_and_its_draft_is_not(client, django_user_model):
    hub = make_hub("Avon")
    policy = make_policy(hub)
    admin = _hub_admin(django_user_model, hub)
    make_commissions(hub, admin, 1)
    route = DecisionRoute.objects.filter(policy=policy).first()
    sign_in(client, admin)

    page = client.get(admin_url(DecisionRoute, "change", route.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]  # shown, not offered
    refused = client.post(admin_url(DecisionRoute, "change", route.pk), {"kind": route.kind})
    assert refused.status_code == 403
    form = client.get(admin_url(Ground, "add")).context["adminform"].form
    assert policy not in form.fields["policy"].queryset

    draft = policy_revise(policy=HubPolicy.objects.get(pk=policy.pk), user=admin)

    assert policy_current(hub=hub).pk == policy.pk, "the draft is not in force"
    assert rows_editable(draft)
    copied = DecisionRoute.objects.filter(policy=draft).first()
    page = client.get(admin_url(DecisionRoute, "change", copied.pk))
    assert page.context["has_change_permission"]
    form = client.get(admin_url(Ground, "add")).context["adminform"].form
    assert list(form.fields["policy"].queryset) == [draft]
