"""What a person does in the browser, with the checks every page must pass.

visit(page, live_server + "/hubs/herts/policy/")   loads, status < 400, no console errors
assert_no_csp_violations(page)                     nothing refused by a Content-Security-Policy
assert_skip_link_works(page)                       first Tab stop, moves focus to <main>
assert_no_horizontal_scroll(page)                  reflows at the page's width
signed_in(page, live_server, email, password)      through the real form at /accounts/login/
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.cache import cache
from playwright.sync_api import ConsoleMessage, Error, Page, Response

LOGIN_PATH = "/accounts/login/"

# Collects the browser's securitypolicyviolation events: they fire for every
# refused inline script, style or resource, whether or not it logs.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.disposition === "report" ? "[Report Only] " : ""}${e.effectiveDirective} refused `
    + `${e.blockedURI || "(inline)"} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : "")
  );
});
"""


@dataclass
class Watch:
    """What the browser reported about one page since the last visit()."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # CSP's "Refused to ..." messages

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.refused.clear()

    def on_console(self, message: ConsoleMessage) -> None:
        where = message.location or {}
        text = f"{message.text} [{where.get('url', '')}:{where.get('lineNumber', '')}]"
        if "Refused to" in message.text:
            self.refused.append(text)
        if message.type == "error":
            self.console_errors.append(text)

    def on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")


_watches: dict[int, Watch] = {}


def watch(page: Page) -> Watch:
    """Start (once) collecting a page's console errors, uncaught exceptions and
    CSP refusals. The page fixtures call it as soon as the page exists."""
    key = id(page)
    if key not in _watches:
        record = Watch()
        page.on("console", record.on_console)
        page.on("pageerror", record.on_page_error)
        page.add_init_script(_CSP_LISTENER)
        page.on("close", lambda _: _watches.pop(key, None))
        _watches[key] = record
    return _watches[key]


def _listed(title: str, lines: list[str]) -> str:
    return title + "".join(f"\n  - {line}" for line in lines)


def visit(page: Page, url: str) -> Response:
    """Go to `url` (the live server's, e.g. `live_server + "/"`), following
    redirects; fail unless the final response is below 400 and the page loaded
    without console errors or uncaught exceptions."""
    record = watch(page)
    record.clear()
    response = page.goto(str(url), wait_until="load")
    assert response is not None, f"no response for {url}"
    assert response.status < 400, f"{url} answered {response.status} {response.status_text}"
    problems = record.console_errors + record.page_errors
    assert not problems, _listed(f"{page.url} logged errors in the browser console:", problems)
    return response


def csp_violations(page: Page) -> list[str]:
    """Everything a Content-Security-Policy refused on the current page."""
    events = page.evaluate("() => window.__cspViolations || []")
    return watch(page).refused + events


def assert_no_csp_violations(page: Page) -> None:
    """Nothing on the page was refused by its Content-Security-Policy (or its
    report-only policy): no inline <script>, style="" or on*="" attribute, no
    resource from an origin the policy does not allow."""
    refused = csp_violations(page)
    assert not refused, _listed(
        f"{page.url}: the Content-Security-Policy refused {len(refused)} thing(s); "
        "move inline scripts and styles into static files:",
        refused,
    )


_ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(), id: e.id, text: (e.textContent || "").trim().slice(0, 80),
    href: e.getAttribute("href"),
    visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
             && r.right <= window.innerWidth && r.bottom <= window.innerHeight,
  };
}"""


def focused(page: Page) -> dict | None:
    """The element that has keyboard focus (None for the page itself)."""
    return page.evaluate(_ACTIVE)


def assert_skip_link_works(page: Page) -> None:
    """From a freshly loaded page, the first Tab reaches a visible "Skip to main
    content" link, and Enter on it moves focus to <main>."""
    page.keyboard.press("Tab")
    first = focused(page)
    assert first is not None, f"{page.url}: Tab focused nothing"
    assert first["tag"] == "a" and first["text"].lower().startswith("skip to main"), (
        f"{page.url}: the first Tab stop is {first}, not the skip link"
    )
    assert first["visible"], f"{page.url}: the focused skip link is not visible on screen"
    target = (first["href"] or "").lstrip("#")
    assert target, f"{page.url}: the skip link has no #target"
    page.keyboard.press("Enter")
    landed = focused(page)
    assert landed is not None and landed["tag"] == "main" and landed["id"] == target, (
        f"{page.url}: Enter on the skip link left focus on {landed}, not <main id={target}>"
    )


_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) {
      const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
        + (e.classList.length ? "." + [...e.classList].join(".") : "");
      wide.push(`${name} reaches ${Math.round(r.right)}px: `
        + (e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60));
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    clientWidth: width, wide: wide.slice(0, 10),
  };
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits its viewport's width (WCAG 1.4.10 Reflow): no sideways
    scrolling. Compared with the viewport too, as a phone may zoom out."""
    viewport = page.viewport_size["width"] if page.viewport_size else None
    seen = page.evaluate(_OVERFLOW)
    limit = min(seen["innerWidth"], viewport or seen["innerWidth"])
    assert seen["scrollWidth"] <= limit, _listed(
        f"{page.url} scrolls sideways at {viewport}px: the document is "
        f"{seen['scrollWidth']}px wide, the window {seen['innerWidth']}px. Widest elements:",
        seen["wide"],
    )


def signed_in(page: Page, live_server, email: str, password: str) -> Page:
    """Sign in as a person does: open /accounts/login/, type the email address
    and password, press the submit button. Returns the page, now on wherever
    signing in leads (the second-factor page, for roles that need one); fails
    with the form's own error if it refuses.

    allauth's record of used one-time codes and its sign-in rate limits are
    forgotten first: a test signs the same person in more often, and faster,
    than a person would, and one code works once per person."""
    cache.clear()
    visit(page, live_server + LOGIN_PATH)
    form = page.locator("form").filter(has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])')
    with page.expect_navigation(wait_until="load"):
        submit.first.click()
    if urlsplit(page.url).path == LOGIN_PATH:
        errors = page.locator('.errorlist, [role="alert"], .alert').all_inner_texts()
        raise AssertionError(
            f"signing in as {email} stayed on {page.url}: " + (" ".join(errors) or "no error shown")
        )
    return page


def session_cookie(live_server, email: str) -> dict:
    """A cookie that signs `email` in on the live server, second factor
    recorded (tests.auth_helpers.sign_in), for tests that need someone signed
    in but not the sign-in form itself: add it with context.add_cookies."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.auth_helpers import sign_in

    client = Client()
    sign_in(client, get_user_model().objects.get(email=email))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": str(live_server.url),
    }
