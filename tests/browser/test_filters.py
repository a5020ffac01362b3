"""The commission list in the browser: an officer searches, filters, sorts
by a column and clears the filters; the URL keeps it all, and every state of
the page passes axe. Read-only: the demo is shared by the module."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from commissioning.models import Commission
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_an_officer_searches_filters_sorts_and_clears(page, live_server):
    target = (
        Commission.objects.filter(hub__slug="herts", partner__isnull=False)
        .select_related("partner")
        .order_by("reference")
        .first()
    )
    word = target.partner.name.split()[0]
    sign_in_as(page, live_server, "officer@herts.demo")
    page.get_by_role("link", name="Commissions", exact=True).click()
    page.wait_for_load_state("load")
    assert_accessible(page, context="the commission list")

    page.get_by_label("Search").fill(word)
    page.get_by_label("Stage").select_option(target.status)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Apply filters").click()
    assert _query(page)["q"] == [word] and _query(page)["stage"] == [target.status]
    assert page.get_by_role("link", name=target.reference, exact=True).is_visible()
    assert "match" in page.locator(".list-count").inner_text()
    assert page.get_by_label("Search").input_value() == word, "the form shows what was asked"
    assert_no_csp_violations(page)
    assert_accessible(page, context="a searched, filtered commission list")

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Title (sort ascending)").click()
    assert _query(page)["sort"] == ["title"] and _query(page)["q"] == [word]
    assert page.locator("th[aria-sort]").inner_text().startswith("Title")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    assert_accessible(page, context="a sorted commission list")

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Clear filters").first.click()
    assert "q" not in _query(page) and _query(page)["sort"] == ["title"]
    assert page.get_by_label("Search").input_value() == ""
