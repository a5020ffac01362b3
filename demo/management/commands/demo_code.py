"""Print the demo authenticator's current code (approvers, hub admins and the
site administrator of the demo all share one authenticator secret)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.mfa import seconds_left_for_code, totp_code
from demo.data import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current six-digit code of the demo's authenticator app."

    def handle(self, *args, **options):
        self.stdout.write(totp_code(DEMO_TOTP_SECRET))
        self.stderr.write(
            f"Valid for another {seconds_left_for_code()} seconds. To use an app instead, "
            f"add this key to it: {DEMO_TOTP_SECRET}"
        )
