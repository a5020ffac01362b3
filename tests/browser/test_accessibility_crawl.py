"""Every page each role reaches in the demo, found by following links: no
critical, serious or moderate axe violation, and nothing wider than a 320 px
screen (WCAG 2.2 SC 1.4.10 Reflow).

Each persona starts at its dashboard (the public at the list of hubs) and
follows same-origin links, GET only, within its hub's pages (and, for the hub
admin, the admin where the hub is configured). Downloads, sign-out and the
session pages are left out. A page is read at 1280 px for axe, then the window
narrows to 320 px and the document's width is measured; the dashboard is also
checked with axe at 320 px, where the menu collapses.

To keep the suite fast, a view (its URL pattern) is visited at most
PER_VIEW times (one commission page shows what the next one does) and a
persona at most CAP pages (and ADMIN_CAP in the admin); a failure lists the
pages visited and how many links were left, so the reach is plain. People
sign in by their session cookie (the sign-in form and its second factor have
tests of their own)."""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.axe import run_axe
from tests.browser.helpers import csp_violations, session_cookie, watch

pytestmark = pytest.mark.usefixtures("demo")

FAILING_IMPACTS = ("critical", "serious", "moderate")
NARROW = 320
CAP = 24  # pages per persona
ADMIN_CAP = 16  # the hub admin's pages in the admin, beyond CAP
PER_VIEW = 2

# persona: (login or None for the public, hub, where they start)
PERSONAS = {
    "officer": ("officer@herts.demo", "herts", "/h/herts/"),
    "approver (ELT)": ("approver@herts.demo", "herts", "/h/herts/"),
    "board member": ("board1@herts.demo", "herts", "/h/herts/"),
    "chair": ("chair@leics.demo", "leics", "/h/leics/"),
    "service lead": ("lead-luton@blmk.demo", "blmk", "/h/blmk/"),
    "partner": ("medway@kent.demo", "kent", "/h/kent/"),
    "hub admin": ("hubadmin@herts.demo", "herts", "/h/herts/"),
    "public": (None, "herts", "/hubs/"),
}

# Links that download a file, end the session or change nothing we render.
SKIP = re.compile(
    r"(\.(pdf|csv|json|xlsx|zip|ics|png|jpe?g|svg)$)|/pdf/|/download|/export|/files?/|/attachments?/"
    r"|logout|/accounts/|/admin/jsi18n|/admin/r/|/delete/|/history/|/static/|/media/"
)

_LINKS = """() => [...document.querySelectorAll("a[href]")]
  .filter((a) => !a.hasAttribute("download"))
  .map((a) => a.getAttribute("href"))"""

# The document's width at the window's, and the first elements past its edge
# that no scrolling region of their own contains.
_WIDTH = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => {
    if (getComputedStyle(e).position === "absolute") return false;  // escapes the region
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !scrolls(e)) {
      wide.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
        + (typeof e.className === "string" && e.className.trim()
          ? "." + e.className.trim().split(/\\s+/).join(".") : "")
        + ` (${Math.round(r.right)}px: ${(e.textContent || "").trim().slice(0, 30)})`);
      if (wide.length === 3) break;
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide};
}"""


@dataclass
class Crawl:
    persona: str
    allowed: tuple[str, ...]
    seen: set[str] = field(default_factory=set)
    per_view: Counter = field(default_factory=Counter)
    admin_pages: int = 0
    hub_pages: int = 0
    left: int = 0  # links found but not visited (a view seen PER_VIEW times, or a cap reached)
    visited: list[str] = field(default_factory=list)
    queue: deque = field(default_factory=deque)  # (path, the page that linked to it)
    faults: list[str] = field(default_factory=list)
    host: str = ""

    def offer(self, url: str, source: str = "") -> None:
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        path = parts.path
        if parts.scheme not in ("", "http") or (parts.netloc and parts.netloc != self.host):
            return
        full = path + (f"?{parts.query}" if parts.query else "")
        if full in self.seen or SKIP.search(path) or not path.startswith(self.allowed):
            return
        self.seen.add(full)
        self.queue.append((full, source))

    def view_of(self, path: str) -> str:
        try:
            match = resolve(path)
        except Resolver404:
            return path
        return match.view_name


def _check(page, crawl: Crawl, path: str, source: str, *, narrow_axe: bool) -> None:
    record = watch(page)
    record.clear()
    try:
        response = page.goto(path, wait_until="load")
    except Exception as error:  # a download or an aborted navigation
        crawl.faults.append(f"{path}: did not load ({str(error).splitlines()[0]})")
        return
    if response is None or response.status >= 400:
        status = response.status if response else "nothing"
        crawl.faults.append(f"{path}: answered {status} (linked from {source})")
        return
    if "text/html" not in (response.headers.get("content-type") or ""):
        return
    where = urlsplit(page.url).path
    if where != path.split("?")[0]:
        crawl.seen.add(where)
    problems = record.console_errors + record.page_errors + csp_violations(page)
    if problems:
        crawl.faults.append(f"{path}: browser console: {'; '.join(problems)[:300]}")
    for violation in run_axe(page):
        if violation.get("impact") in FAILING_IMPACTS:
            targets = "; ".join(
                " ".join(map(str, n["target"])) + " " + " ".join(n.get("html", "").split())[:80]
                for n in violation["nodes"][:3]
            )
            crawl.faults.append(
                f"{path}: axe {violation['id']} ({violation['impact']}) at {targets}"
            )
    for href in page.evaluate(_LINKS):
        crawl.offer(urljoin(page.url, href), path)
    page.set_viewport_size({"width": NARROW, "height": 640})
    try:
        seen = page.evaluate(_WIDTH)
        if seen["scrollWidth"] > NARROW:
            crawl.faults.append(
                f"{path}: {seen['scrollWidth']}px wide at {NARROW}px: {', '.join(seen['wide'])}"
            )
        if narrow_axe:
            for violation in run_axe(page):
                if violation.get("impact") in FAILING_IMPACTS:
                    crawl.faults.append(
                        f"{path} at {NARROW}px: axe {violation['id']} ({violation['impact']})"
                    )
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_a_role_reaches_is_accessible_and_reflows(browser, live_server, persona):
    email, slug, start = PERSONAS[persona]
    host = urlsplit(live_server.url).netloc
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(15_000)
    allowed = (f"/h/{slug}/", f"/hubs/{slug}/", "/hubs/", "/accessibility/")
    if email:
        context.add_cookies([session_cookie(live_server, email)])
    if persona == "hub admin":
        allowed += ("/admin/",)
    crawl = Crawl(persona, allowed, host=host)
    page = context.new_page()
    watch(page)
    try:
        crawl.offer(start)
        if persona == "hub admin":
            crawl.offer("/admin/")
        while crawl.queue:
            path, source = crawl.queue.popleft()
            view = crawl.view_of(path.split("?")[0])
            is_admin = path.startswith("/admin/")
            full = crawl.admin_pages >= ADMIN_CAP if is_admin else crawl.hub_pages >= CAP
            if full or crawl.per_view[view] >= PER_VIEW:
                crawl.left += 1
                continue
            crawl.per_view[view] += 1
            crawl.admin_pages += is_admin
            crawl.hub_pages += not is_admin
            crawl.visited.append(path)
            _check(page, crawl, path, source, narrow_axe=path == start)
    finally:
        context.close()
    assert len(crawl.visited) >= 5, f"{persona} reached only {crawl.visited}"
    assert not crawl.faults, (
        f"{persona}: {len(crawl.faults)} fault(s) on the {len(crawl.visited)} pages visited:\n  "
        + "\n  ".join(crawl.faults)
        + f"\nvisited ({crawl.left} more links not followed):\n  "
        + "\n  ".join(crawl.visited)
    )
