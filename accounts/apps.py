from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in and out, the second factor, lock-out and session expiry."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
