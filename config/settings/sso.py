"""Single sign-on: OpenID Connect through allauth's provider, configured per hub.

Applied at the end of base.py by `extend(globals())`: this module adds to the
base settings (apps, middleware, its own names) and reads the environment
through config.env like the rest.

Each hub's provider is a row of accounts.sso_models.HubSignOn, edited by its
hub admin in the Django admin; nothing here names a provider. The rules
(who may sign in, and when a password is refused) are accounts.sso's.
"""

from __future__ import annotations

from config.env import envint


def _after(items: list[str], anchor: str, new: str) -> None:
    if new not in items:
        items.insert(items.index(anchor) + 1 if anchor in items else len(items), new)


def extend(settings: dict) -> None:
    """Add this concern's settings to the base settings `settings` in place."""
    apps = settings["INSTALLED_APPS"]
    _after(apps, "allauth.mfa", "allauth.socialaccount")
    _after(apps, "allauth.socialaccount", "allauth.socialaccount.providers.openid_connect")

    # Before the password backends: a hub that turned passwords off refuses
    # its people's passwords wherever authenticate() is called.
    _after(
        settings["AUTHENTICATION_BACKENDS"],
        "accounts.backends.LockoutBackend",
        "accounts.sso_backends.PasswordsOffBackend",
    )
    # After django-csp's middleware in the list, so it runs first on the way
    # out: the sign-in pages let their forms lead to the hubs' providers.
    _after(
        settings["MIDDLEWARE"],
        "csp.middleware.CSPMiddleware",
        "accounts.sso_middleware.ProviderFormAction",
    )

    forms = settings.setdefault("ACCOUNT_FORMS", {})
    forms.setdefault("login", "accounts.sso_forms.LoginForm")

    settings["SOCIALACCOUNT_ADAPTER"] = "accounts.sso_adapter.SocialAccountAdapter"
    # Nobody signs up through a provider; the adapter joins an account the hub
    # invited, after its own checks, so allauth's email matching stays off.
    settings["SOCIALACCOUNT_AUTO_SIGNUP"] = False
    settings["SOCIALACCOUNT_EMAIL_AUTHENTICATION"] = False
    settings["SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT"] = False
    settings["SOCIALACCOUNT_EMAIL_VERIFICATION"] = "none"
    settings["SOCIALACCOUNT_QUERY_EMAIL"] = True
    # The button posts (with its CSRF token); a link alone never starts a sign-in.
    settings["SOCIALACCOUNT_LOGIN_ON_GET"] = False
    # We keep no provider tokens: the sign-in is all we use them for.
    settings["SOCIALACCOUNT_STORE_TOKENS"] = False
    settings["SOCIALACCOUNT_REQUESTS_TIMEOUT"] = envint("SSO_REQUESTS_TIMEOUT", 10)
    settings["SOCIALACCOUNT_PROVIDERS"] = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
