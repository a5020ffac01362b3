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

import warnings
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
            if _reads_demo_only(item):
                item.add_marker(pytest.mark.xdist_group(DEMO_READERS_GROUP))
    # The readers one after the other (in one process too), where the first is.
    readers = [item for item in items if _reads_demo_only(item)]
    if readers:
        first = items.index(readers[0])
        rest = [item for item in items if not _reads_demo_only(item)]
        items[:] = rest[:first] + readers + rest[first:]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """What runs next, for `live_db` to decide at a module's end whether the
    demo may stay for it."""
    _following["item"] = nextitem


# --- modules that only read the demo ---------------------------------------
# Their tests open pages, sign in and submit nothing that is saved (a refused
# form at most), so one restored demo serves them all: they run one after the
# other (with pytest-xdist on one worker: `xdist_group`), and the demo stays
# in the database from one to the next instead of being emptied and restored.
# A module that writes (moves, saves, uploads) must not be listed: `live_db`
# counts the rows of every table when it keeps the demo and, if a listed
# module added or removed any, empties the database anyway and warns.
DEMO_READERS = frozenset(
    {
        "test_accessibility_crawl.py",
        "test_admin_pages.py",
        "test_decision_context.py",
        "test_filters.py",
        "test_phone_layout.py",
        "test_public_pages.py",
        "test_sign_in.py",
    }
)
DEMO_READERS_GROUP = "browser-demo-readers"
# Tables that reading changes: signing in writes a session and a line of the
# sign-in log (django-axes); they are emptied with the rest when the readers
# are done. A failed sign-in (axes_accessattempt) is not among them: failures
# add up to a lock-out, so after one the demo is restored.
CHANGED_BY_READING = frozenset({"django_session", "axes_accesslog"})

_following: dict[str, pytest.Item | None] = {}
_demo_kept: dict = {"in_place": False, "counts": {}}


def _reads_demo_only(item: pytest.Item | None) -> bool:
    return (
        item is not None
        and HERE in Path(str(item.path)).resolve().parents
        and Path(str(item.path)).name in DEMO_READERS
        and item.get_closest_marker("skip") is None
        and item.get_closest_marker("skipif") is None
    )


def _demo_unchanged(counts: dict[str, int]) -> bool:
    """Whether every table (bar CHANGED_BY_READING) holds as many rows as when
    the demo was put in place."""
    now = demo_db.row_counts()
    changed = sorted(
        table
        for table in set(now) | set(counts)
        if table not in CHANGED_BY_READING and now.get(table) != counts.get(table)
    )
    if changed:
        warnings.warn(
            "a module listed in tests/browser/conftest.py's DEMO_READERS changed the demo's "
            f"rows ({', '.join(changed)}); take it off the list",
            stacklevel=1,
        )
    return not changed


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
def live_db(request, django_db_setup, django_db_blocker) -> Iterator[None]:
    """Committed database access for the whole module (the live server's thread
    reads what the test wrote), emptied at the end as a transactional test is
    (unless this module and the next only read the demo: see DEMO_READERS)."""
    with django_db_blocker.unblock():
        if _demo_kept["in_place"] and request.node.path.name not in DEMO_READERS:
            _demo_kept["in_place"] = False
            demo_db.flush()
        yield
        keep = (
            request.node.path.name in DEMO_READERS
            and _demo_kept["in_place"]
            and _reads_demo_only(_following.get("item"))
            and _demo_unchanged(_demo_kept["counts"])
        )
        _demo_kept["in_place"] = keep
        if not keep:
            demo_db.flush()  # as manage.py flush, quicker
        # Django's connections are asgiref-local: while Playwright's loop runs,
        # the main thread gets connections of its own, which pytest-django's
        # teardown never sees. Closed here, or PostgreSQL's test database
        # cannot be dropped at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture(scope="module")
def demo(request, live_db, browser) -> None:
    """The five demo hubs, in the database for each module (after Playwright
    starts, so under its DJANGO_ALLOW_ASYNC_UNSAFE, as the flush at the end
    is): loaded once a session and restored from its copy for every other
    module (tests/demo_db.py), which is the database `load_demo` makes, in a
    second instead of twenty. Everyone whose role needs a second factor has
    the demo's authenticator app, so sign_in_as can enter its code (the loader
    gives it to approvers and hub admins itself)."""
    if _demo_kept["in_place"]:
        return  # the previous module only read it (DEMO_READERS)
    demo_db.load_demo()
    give_demo_authenticators(DEMO_TOTP_SECRET)
    if request.node.path.name in DEMO_READERS:
        _demo_kept.update(in_place=True, counts=demo_db.row_counts())


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
