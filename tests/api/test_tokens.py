"""API tokens: issued and revoked by a hub admin, through api.services,
from the admin (scoped to their hub, like every admin page), the key shown
once and only its hash kept."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_for_key, token_issue, token_revoke
from hubs.refusals import Refused
from tests.api.conftest import TokenClient, url
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:api_apitoken_changelist"
ADD = "admin:api_apitoken_add"


def _admin(client, side):
    user = side.cast.admin
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    sign_in(client, user)
    return client


def _issue_in_admin(client, side, person, name="Finance system"):
    assert client.get(reverse(ADD)).status_code == 200  # the form, as a browser opens it
    response = client.post(
        reverse(ADD), {"hub": side.hub.pk, "user": person.pk, "name": name}, follow=True
    )
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    return response, shown


def test_a_hub_admin_issues_a_token_and_sees_its_key_once(client, world):
    side = world.herts
    _admin(client, side)

    response, _ = _issue_in_admin(client, side, side.officer)

    assert response.status_code == 200
    key = re.search(r'<code class="api-key">(hc_[\w-]+)</code>', response.text).group(1)
    token = ApiToken.objects.get(hub=side.hub, user=side.officer)
    assert token.created_by == side.cast.admin
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    # The key works, and is never shown again.
    assert TokenClient(key).get(url("commissions", "herts")).status_code == 200
    again = client.get(reverse(CHANGELIST))
    assert token.prefix in again.text and key not in again.text
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert page.status_code == 200 and key not in page.text


def test_a_token_is_issued_only_for_someone_with_a_role_in_the_hub(
    client, world, django_user_model
):
    side = world.herts
    _admin(client, side)
    client.get(reverse(ADD))
    stranger = django_user_model.objects.create_user("nobody@example.org", "nobody@example.org")

    response = client.post(
        reverse(ADD), {"hub": side.hub.pk, "user": stranger.pk, "name": "Script"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text  # not one of the hub's people
    assert not ApiToken.objects.exists()
    with pytest.raises(Refused) as refused:
        token_issue(hub=side.hub, user=stranger, name="Script", by=side.cast.admin)
    assert refused.value.rule == "no_role_in_hub"


def test_a_hub_admin_cannot_issue_for_another_hub_nor_see_its_tokens(client, world):
    herts, kent = world.herts, world.kent
    kent_token, _ = token_issue(hub=kent.hub, user=kent.officer, name="Kent's", by=kent.cast.admin)
    _admin(client, herts)

    listed = client.get(reverse(CHANGELIST))
    client.get(reverse(ADD))
    other = client.get(reverse("admin:api_apitoken_change", args=[kent_token.pk]))
    posted = client.post(
        reverse(ADD), {"hub": kent.hub.pk, "user": kent.officer.pk, "name": "Sneaky"}
    )

    assert listed.status_code == 200 and "Kent&#x27;s" not in listed.text
    assert "Kent's" not in listed.text
    assert other.status_code == 302  # the admin's "doesn't exist"
    assert posted.status_code == 200 and "Select a valid choice" in posted.text
    assert ApiToken.objects.filter(hub=kent.hub).count() == 1
    with pytest.raises(Refused) as refused:
        token_issue(hub=kent.hub, user=kent.officer, name="Sneaky", by=herts.cast.admin)
    assert refused.value.rule == "hub_admin_only"


def test_an_officer_without_hub_admin_rights_cannot_issue(world):
    side = world.herts
    with pytest.raises(Refused) as refused:
        token_issue(hub=side.hub, user=side.officer, name="Mine", by=side.officer)
    assert refused.value.rule == "hub_admin_only"


def test_revoking_in_the_admin_stops_the_token_at_once(client, world):
    side = world.herts
    token, key = token_issue(hub=side.hub, user=side.officer, name="Old", by=side.cast.admin)
    api = TokenClient(key)
    assert api.get(url("commissions", "herts")).status_code == 200
    _admin(client, side)

    response = client.post(
        reverse(CHANGELIST),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )

    assert "Revoked 1 token" in response.text
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == side.cast.admin
    refused = api.get(url("commissions", "herts"))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    # Revoking again changes nothing.
    when = token.revoked_at
    token_revoke(token=token, by=side.cast.admin)
    token.refresh_from_db()
    assert token.revoked_at == when


def test_tokens_are_neither_edited_nor_deleted_in_the_admin(client, world):
    side = world.herts
    token, _ = token_issue(hub=side.hub, user=side.officer, name="Kept", by=side.cast.admin)
    _admin(client, side)

    deleted = client.get(reverse("admin:api_apitoken_delete", args=[token.pk]))
    client.post(
        reverse("admin:api_apitoken_change", args=[token.pk]),
        {"hub": side.hub.pk, "user": side.partner.pk, "name": "Changed"},
    )

    assert deleted.status_code == 403
    token.refresh_from_db()
    assert (token.name, token.user) == ("Kept", side.officer)


def test_an_expired_token_is_not_accepted(world):
    side = world.herts
    token, key = token_issue(
        hub=side.hub,
        user=side.officer,
        name="Short",
        by=side.cast.admin,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert token_for_key(key) is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert token_for_key(key) is None
    assert TokenClient(key).get(url("commissions", "herts")).status_code == 401


def test_use_is_recorded_at_most_once_a_minute(world):
    side = world.herts
    token, key = token_issue(hub=side.hub, user=side.officer, name="Used", by=side.cast.admin)
    assert token.last_used_at is None

    token_for_key(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    token_for_key(key)

    assert first is not None
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
