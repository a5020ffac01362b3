"""Browser tests: Debian's Chromium driven by Playwright against the live server.

One Chromium for the browser tests; a fresh context (cookies, storage) for each
test. Everything under tests/browser/ is marked `browser`, so
`pytest -m "not browser"` leaves it out, and is skipped, with the reason, on a
machine without /usr/bin/chromium (.ci/run installs it; a browser is never
downloaded).

Playwright's sync API keeps an asyncio event loop running in the main thread,
so Django would refuse every ORM call there (fixtures, assertions) as "async
unsafe". Nothing here is async, so DJANGO_ALLOW_ASYNC_UNSAFE is set, but only
while Playwright runs: Playwright is package-scoped, started for the browser
tests and stopped when pytest moves on to other tests (pytest-django runs the
live-server tests with the transactional ones and the rest later, so that can
be twice a session). The rest of the suite keeps Django's protection, and
`check --deploy` run by a later test does not see the flag.

The database: pytest-django gives every `live_server` test `transactional_db`,
which empties the tables after each test. Loading the five demo hubs takes
seconds, so here a module shares one committed database instead: `live_db`
(module scope) opens database access for the module and flushes the tables when
the module ends, as a transactional test does, so the next tests start clean;
`demo` puts the demo into it once (restored from the session's copy after the
first module). A test that asks for `db` or
`transactional_db` itself gets pytest-django's behaviour (and its flush) back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from demo.data import DEMO_TOTP_SECRET
from tests import demo_db
from tests.auth_helpers import give_demo_authenticators
from tests.browser.helpers import watch

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}  # an iPhone 12 to 15
HERE = Path(__file__).resolve().parent
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything in this folder `browser` (before `-m` selects), and skip
    it where there is no Chromium to drive."""
    skip = pytest.mark.skip(
        reason=f"browser tests need Debian's Chromium at {CHROMIUM}: "
        "apt-get install -y chromium (.ci/run does this)"
    )
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


# --- the browser -----------------------------------------------------------


@pytest.fixture(scope="package")
def playwright_session(monkeypatch_package) -> Iterator:
    from playwright.sync_api import sync_playwright

    monkeypatch_package.setenv(ASYNC_UNSAFE, "true")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def monkeypatch_package() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="package")
def browser(playwright_session):
    browser = playwright_session.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_page(browser, **context_options):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch(page)  # console errors, page errors and CSP violations from the start
    return context, page


@pytest.fixture
def page(browser):
    """A desktop page (1280 x 800) in a context of its own."""
    context, page = _new_page(browser, viewport=DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page: 390 x 844 CSS pixels, mobile layout and touch, so the
    page's meta viewport is honoured as on a phone."""
    context, page = _new_page(
        browser, viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


# --- the database behind the live server -----------------------------------


@pytest.fixture(scope="module")
def live_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Committed database access for the whole module (the live server's thread
    reads what the test wrote), emptied at the end as a transactional test is."""
    with django_db_blocker.unblock():
        yield
        demo_db.flush()  # as manage.py flush, quicker
        # Django's connections are asgiref-local: while Playwright's loop runs,
        # the main thread gets connections of its own, which pytest-django's
        # teardown never sees. Closed here, or PostgreSQL's test database
        # cannot be dropped at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture(scope="module")
def demo(live_db, browser) -> None:
    """The five demo hubs, in the database for each module (after Playwright
    starts, so under its DJANGO_ALLOW_ASYNC_UNSAFE, as the flush at the end
    is): loaded once a session and restored from its copy for every other
    module (tests/demo_db.py), which is the database `load_demo` makes, in a
    second instead of twenty. Everyone whose role needs a second factor has
    the demo's authenticator app, so sign_in_as can enter its code (the loader
    gives it to approvers and hub admins itself)."""
    demo_db.load_demo()
    give_demo_authenticators(DEMO_TOTP_SECRET)


@pytest.fixture(scope="package")
def _server_connections_per_request(monkeypatch_package) -> None:
    """The live server's request threads close their database connection after
    each request. With CONN_MAX_AGE (60 s in settings) a thread serving a
    browser's keep-alive socket keeps its PostgreSQL session open until the
    socket closes, which can be after the browser tests end, and then the test
    database cannot be dropped ("being accessed by other users")."""
    for alias in connections:
        monkeypatch_package.setitem(connections.settings[alias], "CONN_MAX_AGE", 0)


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """Replaces pytest-django's helper of the same name for these tests: it
    would add `transactional_db`, whose flush after every test would take the
    module's demo with it. Database access comes from `live_db` instead,
    unless the test asked for `db` or `transactional_db` itself."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if not {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("live_db")
    request.getfixturevalue("_server_connections_per_request")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()
