"""The public pages in a real browser: the list of hubs and each hub's policy,
on a desktop and on a phone, checked with axe-core, the keyboard and CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from demo.data import HUBS
from tests.browser.axe import assert_accessible
from tests.browser.helpers import (
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    assert_skip_link_works,
    visit,
)

pytestmark = pytest.mark.usefixtures("demo")

NAMES = {spec["slug"]: spec["name"] for spec in HUBS}
SLUGS = sorted(NAMES)


PUBLIC_PAGES = ["/hubs/", "/accessibility/"]


def open_home(page, live_server) -> bool:
    """Open "/" and say whether it is the public list of hubs. "/" is becoming
    a signed-in dashboard: should it send a visitor to sign in, that page is
    what a visitor gets, so it is what must pass."""
    visit(page, live_server + "/")
    return urlsplit(page.url).path == "/" and page.locator("h1", has_text="Music Hubs").count() > 0


def test_home_lists_every_hub(page, live_server):
    public = open_home(page, live_server)
    assert_no_csp_violations(page)
    assert_accessible(page, context="home, desktop")
    if not public:
        assert "login" in page.url or "sign" in page.url, f"/ went to {page.url}"
        return
    for slug, name in NAMES.items():
        link = page.get_by_role("link", name=name, exact=True)
        assert link.get_attribute("href") == f"/hubs/{slug}/policy/"


def test_home_skip_link(page, live_server):
    open_home(page, live_server)
    assert_skip_link_works(page)


def test_home_on_a_phone(phone_page, live_server):
    open_home(phone_page, live_server)
    assert_accessible(phone_page, context="home, phone")


def test_home_fits_a_phone(phone_page, live_server):
    open_home(phone_page, live_server)
    assert_no_horizontal_scroll(phone_page)


@pytest.mark.parametrize("slug", SLUGS)
def test_policy_page(page, live_server, slug):
    visit(page, live_server + f"/hubs/{slug}/policy/")
    assert page.locator("h1").inner_text() == NAMES[slug]
    assert page.title().startswith(f"{NAMES[slug]}: commissioning policy")
    assert_no_csp_violations(page)
    assert_accessible(page, context=f"{slug} policy, desktop")


@pytest.mark.parametrize("slug", SLUGS)
def test_policy_page_skip_link(page, live_server, slug):
    visit(page, live_server + f"/hubs/{slug}/policy/")
    assert_skip_link_works(page)


@pytest.mark.parametrize("slug", SLUGS)
def test_policy_page_on_a_phone(phone_page, live_server, slug):
    visit(phone_page, live_server + f"/hubs/{slug}/policy/")
    assert_accessible(phone_page, context=f"{slug} policy, phone")
    assert_no_horizontal_scroll(phone_page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_other_public_page(page, live_server, path):
    visit(page, live_server + path)
    assert_no_csp_violations(page)
    assert_accessible(page, context=f"{path}, desktop")
    page.reload()
    assert_skip_link_works(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_other_public_page_on_a_phone(phone_page, live_server, path):
    visit(phone_page, live_server + path)
    assert_accessible(phone_page, context=f"{path}, phone")
    assert_no_horizontal_scroll(phone_page)
