"""The demo's data is for a developer's machine and the test suite only.

Its site administrator, approvers and hub admins share a password and an
authenticator secret printed in the README, so a command that makes those
accounts (load_demo, and scale's national_dataset, which builds its hubs'
people the same way) refuses to run where DEBUG is off, as on a server,
unless the settings say DEMO_ALLOWED = True. The test settings allow it.
"""

from __future__ import annotations

import os

from django.conf import settings

TEST_SETTINGS = "config.settings.test"


def demo_allowed() -> bool:
    allowed = getattr(settings, "DEMO_ALLOWED", None)
    if allowed is None:
        # Under override_settings (as the test session's MEDIA_ROOT is) Django's
        # settings report no SETTINGS_MODULE; the environment still names it.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE")
        return bool(settings.DEBUG) or module == TEST_SETTINGS
    return bool(allowed)


def demo_refusal(command: str) -> str | None:
    """Why `command` may not make the demo's accounts here, or None if it may."""
    if demo_allowed():
        return None
    return (
        f"{command} makes accounts whose password and authenticator secret are published "
        "(a site administrator among them), so it runs only with DEBUG on, on a developer's "
        f"machine: DEBUG=1 python manage.py {command}. Nothing was changed."
    )
