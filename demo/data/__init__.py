"""The five hubs of ../shared/seeds, configured as their published policies say.

Only data lives here, one module a hub: demo.management.commands.load_demo
turns it into rows through the service layer, so the demo's history is real
history.
"""

from __future__ import annotations

from demo.data import blmk, consortium, herts, kent, leics

DEMO_PASSWORD = "demo-pass-2026"

# Approvers, hub admins and the site administrator must also sign in with a
# code from an authenticator app. In the demo they share this one secret, so
# anyone can try them: `python manage.py demo_code` prints the current code,
# or add the secret to an app. Never share a secret like this outside the demo.
DEMO_TOTP_SECRET = "HUBCOMMISSIONDEMOTOTPSECRET23456"
# Everyone who decides, approves, countersigns, ends a partnership or
# configures a hub signs in with the second factor (accounts/mfa.py).
DEMO_TOTP_LOGINS = (
    "approver@",
    "hubadmin@",
    "officer@",
    "chair@",
    "lead-",
    "admin@hubcommission.demo",
)

HUBS: list[dict] = [herts.HUB, kent.HUB, blmk.HUB, leics.HUB, consortium.HUB]
