"""Issuing, revoking and checking API tokens: the one gate every route (the
admin, a shell, a test) goes through.

A key is `hc_` and 43 random URL-safe characters (secrets.token_urlsafe(32));
only its SHA-256 is kept, so a key lost is a key revoked and issued again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from guardian.core import ObjectPermissionChecker

from api.models import ApiToken
from hubs.models import Hub, Membership
from hubs.refusals import Refusal, raise_first

KEY_PREFIX = "hc_"
VISIBLE = 10  # characters of the key kept to tell tokens apart ("hc_" and 7 more)
NAME_MAX = ApiToken._meta.get_field("name").max_length
# last_used_at is written at most this often per token, not on every request.
USE_RECORDED_EVERY = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _configures(by: Any, hub: Hub) -> bool:
    # Granted on the hub itself (hubs.services), as the admin's scoping asks.
    return by.is_superuser or ObjectPermissionChecker(by).has_perm("configure_hub", hub)


def token_issue_refusal(
    *, hub: Hub, user: Any, by: Any, name: str = "x", expires_at: datetime | None = None
) -> Refusal | None:
    """A hub admin issues tokens for people with a role in their hub."""
    if not _configures(by, hub):
        return Refusal("hub_admin_only", f"Only {hub.name}'s hub admins issue API tokens.")
    if user is None or not Membership.objects.filter(hub=hub, user=user).exists():
        return Refusal(
            "no_role_in_hub",
            f"A token reads and writes as its person, so they need a role in {hub.name}: "
            "give them one first (Memberships).",
            "user",
        )
    if not user.is_active:
        return Refusal("inactive_person", "That account is switched off.", "user")
    if not (name or "").strip():
        return Refusal("name_required", "Say what the token is for.", "name")
    if len(name.strip()) > NAME_MAX:
        return Refusal("name_too_long", f"Keep the name to {NAME_MAX} characters.", "name")
    if expires_at is not None and expires_at <= timezone.now():
        return Refusal("expires_in_past", "Give an expiry in the future, or none.", "expires_at")
    return None


def token_issue(
    *, hub: Hub, user: Any, name: str, by: Any, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """The new token and its key: the only time the key is known."""
    raise_first(token_issue_refusal(hub=hub, user=user, by=by, name=name, expires_at=expires_at))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        hub=hub,
        user=user,
        name=name.strip(),
        prefix=key[:VISIBLE],
        key_hash=key_hash(key),
        created_by=by,
        expires_at=expires_at,
    )
    return token, key


def token_revoke_refusal(*, token: ApiToken, by: Any) -> Refusal | None:
    if not _configures(by, token.hub):
        return Refusal("hub_admin_only", f"Only {token.hub.name}'s hub admins revoke API tokens.")
    return None


def token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Stops the token working at once. Revoking a revoked token changes nothing."""
    raise_first(token_revoke_refusal(token=token, by=by))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), by
            locked.save(update_fields=["revoked_at", "revoked_by"])
    token.refresh_from_db()
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The working token with this key (its hub and person read with it), or
    None: unknown, revoked and expired keys are all simply not accepted."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("hub", "user").filter(key_hash=key_hash(key)).first()
    if token is None or not token.works() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
