"""The rules of single sign-on, one place for every route that signs someone in.

A sign-in through a hub's provider (accounts.sso_models.HubSignOn) only ever
joins an account the hub has asked for: someone who holds a role in that hub,
or whose invitation to it is still open. It never makes an account or a role
of its own accord: an open invitation is accepted through the invitation
service, as its link would be. `sso_refusal` says why a sign-in may not go
ahead; `password_refusal` why a password may not be used. Both return
hubs.refusals.Refusal, in words the person reads on the sign-in page.

Why an account in several hubs needs every one of them to trust the provider:
any hub admin can invite any address and point their hub at any provider, so
a hub's provider alone must not open an account that also holds roles
elsewhere. Site administrators never sign in through a hub's provider.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialApp
from django.utils import timezone

from accounts.adapters import secret_box
from accounts.invitations.rules import acceptance_refusal
from accounts.models import Invitation
from accounts.sso_models import PROVIDER_PREFIX, HubSignOn
from hubs.models import Hub, Membership
from hubs.refusals import Refusal


def sign_on_for(provider_id: str) -> HubSignOn | None:
    if not provider_id.startswith(PROVIDER_PREFIX):
        return None
    slug = provider_id.removeprefix(PROVIDER_PREFIX)
    return HubSignOn.objects.select_related("hub").filter(hub__slug=slug).first()


def client_secret(sign_on: HubSignOn) -> str:
    if not sign_on.client_secret_encrypted:
        return ""
    return secret_box().decrypt(sign_on.client_secret_encrypted.encode()).decode()


def set_client_secret(sign_on: HubSignOn, secret: str) -> None:
    sign_on.client_secret_encrypted = secret_box().encrypt(secret.encode()).decode("ascii")


def social_app(sign_on: HubSignOn) -> SocialApp:
    """The hub's provider as allauth sees it. Never saved: allauth's own
    SocialApp table stays empty and the secret stays encrypted in ours."""
    return SocialApp(
        provider="openid_connect",
        provider_id=sign_on.provider_id,
        name=sign_on.provider_name,
        client_id=sign_on.client_id,
        secret=client_secret(sign_on),
        settings={"server_url": sign_on.server_url, "oauth_pkce_enabled": True},
    )


def provider_claims(extra_data: dict) -> dict:
    """The claims allauth fetched: the userinfo answer and the ID token, the
    signed ID token's winning. Both are needed: Entra ID's userinfo has no
    word on whether the address was verified, only its ID token does."""
    userinfo, id_token = extra_data.get("userinfo"), extra_data.get("id_token")
    if userinfo is None and id_token is None:
        return extra_data
    return {**(userinfo or {}), **(id_token or {})}


def verified_email(claims: dict) -> str:
    """The address the provider vouches for, or "" when it does not say it
    checked it. Entra ID says so with xms_edov (add it as an optional claim)."""
    email = (claims.get("email") or "").strip().lower()
    if claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true"):
        return email
    return ""


def open_invitations(*, sign_on: HubSignOn, email: str, user: Any = None) -> list[Invitation]:
    """The hub's invitations to `email` that could be accepted now."""
    found = Invitation.objects.filter(
        hub=sign_on.hub,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("hub", "invited_by", "service_area", "partner")
    return [i for i in found if acceptance_refusal(invitation=i, user=user) is None]


def _not_invited(email: str, hub: Any) -> Refusal:
    return Refusal(
        "sso_not_invited",
        f"{email} has not been invited to {hub.name}. "
        "Ask your hub's administrator for an invitation.",
    )


def sso_refusal(
    *, sign_on: HubSignOn, email: str, user: Any, connected_user: Any = None
) -> Refusal | None:
    """Why the provider's `email` (verified, or "") may not sign in to the
    hub of `sign_on` as `user` (the account with that address, or None);
    `connected_user` is the account this provider's identity already joins."""
    hub, name = sign_on.hub, sign_on.provider_name
    if not email:
        return Refusal(
            "sso_no_email",
            f"{name} did not confirm an email address for this account, so it cannot "
            f"be used to sign in to {hub.name}.",
        )
    if not sign_on.allows_email(email):
        return Refusal(
            "sso_wrong_domain",
            f"{email} is not one of the addresses {hub.name} signs in with {name}. "
            "Use your own organisation's sign-in, or your password.",
        )
    if connected_user is not None and (user is None or connected_user.pk != user.pk):
        return Refusal(
            "sso_other_account",
            f"Your {name} account is joined to a different account here than {email}. "
            f"Ask {hub.name}'s administrator to check your account.",
        )
    if user is None:
        return None if open_invitations(sign_on=sign_on, email=email) else _not_invited(email, hub)
    if not user.is_active:
        return Refusal("sso_inactive", f"The account for {email} is switched off.")
    if user.is_superuser:
        return Refusal(
            "sso_site_admin",
            "Site administrators sign in with their password and authenticator app, "
            "not through a hub's sign-in.",
        )
    hub_ids = set(Membership.objects.filter(user=user).values_list("hub_id", flat=True))
    if hub.pk not in hub_ids and not open_invitations(sign_on=sign_on, email=email, user=user):
        return _not_invited(email, hub)
    return _other_hubs_refusal(sign_on=sign_on, email=email, hub_ids=hub_ids - {hub.pk})


def _other_hubs_refusal(*, sign_on: HubSignOn, email: str, hub_ids: set[int]) -> Refusal | None:
    if not hub_ids:
        return None
    trusting = {
        other.hub_id
        for other in HubSignOn.objects.filter(hub_id__in=hub_ids)
        if other.issuer == sign_on.issuer and other.allows_email(email)
    }
    untrusting = hub_ids - trusting
    if not untrusting:
        return None

    names = ", ".join(
        Hub.objects.filter(pk__in=untrusting).order_by("name").values_list("name", flat=True)
    )
    return Refusal(
        "sso_other_hub",
        f"You also hold a role in {names}, which does not sign its people in with "
        f"{sign_on.provider_name}: sign in with your password instead.",
    )


def passwords_off_sign_ons(user: Any) -> list[HubSignOn]:
    """The sign-ons of the person's hubs that turned passwords off for their
    address. Site administrators keep their password (and authenticator)."""
    if user is None or user.is_superuser:
        return []
    hub_ids = Membership.objects.filter(user=user).values("hub_id")
    sign_ons = HubSignOn.objects.filter(hub_id__in=hub_ids, passwords_allowed=False)
    return [s for s in sign_ons.select_related("hub") if s.allows_email(user.email)]


def password_refusal(user: Any) -> Refusal | None:
    """Why `user` may not sign in with a password, or None."""
    sign_ons = passwords_off_sign_ons(user)
    if not sign_ons:
        return None
    sign_on = min(sign_ons, key=lambda s: s.hub.name)
    return Refusal(
        "sso_passwords_off",
        f"{sign_on.hub.name} signs its people in with {sign_on.provider_name}, not with "
        f'a password. Use "Sign in with {sign_on.provider_name}" instead.',
    )


def new_password_account_refusal(*, hub: Hub, email: str) -> Refusal | None:
    """Why an invitation to `hub` may not make a password account for
    `email`: the hub signs people at that address in through its provider
    only (the invitation is taken up by signing in there instead)."""
    sign_on = HubSignOn.objects.filter(hub=hub, passwords_allowed=False).first()
    if sign_on is None or not sign_on.allows_email(email):
        return None
    return Refusal(
        "sso_passwords_off",
        f"{hub.name} signs its people in with {sign_on.provider_name}, not with a "
        f'password. Use "Sign in with {sign_on.provider_name}" to take up this invitation.',
    )
