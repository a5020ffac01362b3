"""Screenshots of the demo for the README, at 1280 and 390 px wide:

    .venv/bin/python manage.py load_demo      # once, into the database you point at
    .venv/bin/python manage.py screenshots    # writes docs/screenshots/*.png

Serves the app from this process (the database in settings, static files from
the finders) on a free local port, signs each person in by a session of
their own (as the browser tests do; no password or code is typed), and drives
Debian's Chromium (/usr/bin/chromium, never a downloaded browser) with
Playwright. Pages are captured whole up to MAX_HEIGHT and saved as 256-colour
PNGs, so the folder stays small enough to commit.
"""

from __future__ import annotations

import io
import re
import socket
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = {"desktop": 1280, "phone": 390}
MAX_HEIGHT = 2400  # CSS pixels; a longer page is cut here
HUB = "herts"


@dataclass
class Shot:
    name: str  # the file's stem
    email: str  # who is signed in
    path: str  # where they are
    search: str = ""  # typed into the page's search box, if it has one


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # the command prints what it saved
        pass


def session_cookie(email: str) -> str:
    """A signed-in session for `email`, second factor recorded for the roles
    that need one (the demo gives each of them an authenticator app)."""
    from allauth.mfa.models import Authenticator

    from accounts import mfa

    user = get_user_model().objects.get(email=email)
    client = Client()
    client.force_login(user)
    if mfa.needs_mfa(user):
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app: run load_demo first")
        session = client.session
        request = HttpRequest()
        request.session = session
        mfa.session_record_mfa(request, authenticator)
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def the_shots() -> list[Shot]:
    """The README's four pages, found in the demo as it is now."""
    from commissioning.models import Commission, Proposal
    from hubs.models import Membership, Role

    commissions = Commission.objects.filter(hub__slug=HUB)
    if not commissions.exists():
        raise CommandError(f"no commissions in the '{HUB}' hub: run load_demo first")
    waiting = commissions.filter(status="approval").order_by("pk").first()
    if waiting is None:
        raise CommandError(f"no commission awaits approval in '{HUB}'")
    # The word most titles share, so the search finds several commissions.
    words = Counter(
        word.lower()
        for title in commissions.values_list("title", flat=True)
        for word in re.findall(r"[A-Za-z]{6,}", title)
    )
    draft = (
        Proposal.objects.filter(hub__slug=HUB, status="draft", call__isnull=False)
        .order_by("pk")
        .first()
    )
    if draft is None:
        raise CommandError(f"no draft expression of interest in '{HUB}'")
    contact = (
        Membership.objects.filter(hub=draft.hub, partner=draft.partner, role=Role.PARTNER_CONTACT)
        .select_related("user")
        .first()
    )
    return [
        Shot("officer-dashboard", f"officer@{HUB}.demo", f"/h/{HUB}/"),
        Shot(
            "commission-search",
            f"officer@{HUB}.demo",
            f"/h/{HUB}/commissions/",
            search=words.most_common(1)[0][0] if words else "",
        ),
        Shot(
            "approver-decision",
            f"approver@{HUB}.demo",
            f"/h/{HUB}/commissions/{waiting.reference}/agreement/1/",
        ),
        Shot("partner-eoi", contact.user.email, f"/h/{HUB}/eoi/{draft.pk}/edit/"),
    ]


def compress(png: bytes) -> bytes:
    """256 colours, optimised: a tenth of the size for pages of flat colour."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


class Command(BaseCommand):
    help = "Write screenshots of the demo (1280 and 390 px wide) to docs/screenshots/."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        if not CHROMIUM.exists():
            raise CommandError(f"needs Debian's Chromium at {CHROMIUM}: apt-get install chromium")
        # Everything that reads the database happens here, before Playwright's
        # event loop starts (Django refuses ORM calls from inside it).
        shots = the_shots()
        cookies = {shot.email: session_cookie(shot.email) for shot in shots}
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = ThreadedWSGIServer(("127.0.0.1", port), QuietHandler, allow_reuse_address=True)
        server.set_app(StaticFilesHandler(get_wsgi_application()))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            self._capture(f"http://127.0.0.1:{port}", shots, cookies, folder)
        finally:
            server.shutdown()
            server.server_close()

    def _capture(self, base: str, shots: list[Shot], cookies: dict, folder: Path) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            try:
                for shot in shots:
                    for label, width in WIDTHS.items():
                        context = browser.new_context(
                            base_url=base,
                            viewport={"width": width, "height": 900},
                            is_mobile=label == "phone",
                            locale="en-GB",
                            timezone_id="Europe/London",
                        )
                        context.add_cookies(
                            [
                                {
                                    "name": settings.SESSION_COOKIE_NAME,
                                    "value": cookies[shot.email],
                                    "url": base,
                                }
                            ]
                        )
                        page = context.new_page()
                        self._open(page, shot)
                        height = min(
                            page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT
                        )
                        png = page.screenshot(
                            clip={"x": 0, "y": 0, "width": width, "height": height},
                            full_page=True,
                        )
                        target = folder / f"{shot.name}-{width}.png"
                        target.write_bytes(compress(png))
                        self.stdout.write(f"{target} ({target.stat().st_size // 1024} KB)")
                        context.close()
            finally:
                browser.close()

    def _open(self, page: Any, shot: Shot) -> None:
        response = page.goto(shot.path, wait_until="load")
        if response is None or response.status >= 400:
            raise CommandError(f"{shot.path} answered {response.status if response else None}")
        if not shot.search:
            return
        box = page.locator('main input[type="search"], main input[name="q"]').first
        if box.count():
            box.fill(shot.search)
            with page.expect_navigation(wait_until="load"):
                box.press("Enter")
