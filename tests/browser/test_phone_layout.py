"""A phone and a zoomed browser: the navigation behind a menu button (and
listed when JavaScript is off), the hub bar inside the header, an error
summary that takes focus, and charts whose labels keep their size at 320 px."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_horizontal_scroll, focused, session_cookie, visit

pytestmark = pytest.mark.usefixtures("demo")

NARROW = {"width": 320, "height": 640}


def _signed_in(browser, live_server, email: str, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London", **options
    )
    context.set_default_timeout(10_000)
    context.add_cookies([session_cookie(live_server, email)])
    return context, context.new_page()


def test_on_a_phone_the_navigation_opens_from_its_menu_button(browser, live_server):
    context, page = _signed_in(browser, live_server, "officer@herts.demo", viewport=NARROW)
    try:
        visit(page, live_server + "/h/herts/")
        menu = page.get_by_role("button", name="Menu")
        commissions = page.get_by_role("link", name="Commissions", exact=True)
        assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
        assert not commissions.is_visible(), "the links wait behind the button"
        header = page.get_by_role("banner")
        assert header.get_by_text("Hertfordshire Music Hub").count() == 1, (
            "the hub bar is in the header's landmark"
        )
        height = header.bounding_box()["height"]
        assert height < 200, f"the closed header takes {height}px of 640"

        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        assert commissions.is_visible()
        assert_accessible(
            page, context="the open menu at 320px", impacts=("critical", "serious", "moderate")
        )
        assert_no_horizontal_scroll(page)
        commissions.focus()
        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert focused(page)["text"].startswith("Menu"), "Escape returns to the button"
    finally:
        context.close()


def test_without_javascript_the_links_stay_listed(browser, live_server):
    context, page = _signed_in(
        browser, live_server, "officer@herts.demo", viewport=NARROW, java_script_enabled=False
    )
    try:
        page.goto("/h/herts/")
        assert not page.get_by_role("button", name="Menu").is_visible()
        assert page.get_by_role("link", name="Commissions", exact=True).is_visible()
        assert_no_horizontal_scroll(page)
    finally:
        context.close()


def test_on_a_desktop_there_is_no_menu_button(browser, live_server):
    context, page = _signed_in(
        browser, live_server, "officer@herts.demo", viewport={"width": 1280, "height": 800}
    )
    try:
        visit(page, live_server + "/h/herts/")
        assert not page.get_by_role("button", name="Menu").is_visible()
        assert page.get_by_role("link", name="Commissions", exact=True).is_visible()
    finally:
        context.close()


def test_an_error_summary_takes_focus(browser, live_server):
    context, page = _signed_in(
        browser, live_server, "officer@herts.demo", viewport={"width": 1280, "height": 800}
    )
    try:
        visit(page, live_server + "/h/herts/oversight/board-packs/")
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Prepare the board pack").click()  # no date
        page.wait_for_function("document.activeElement.classList.contains('error-summary')")
        assert "There is a problem" in focused(page)["text"]
    finally:
        context.close()


def test_chart_labels_keep_their_size_at_320px(browser, live_server):
    context, page = _signed_in(browser, live_server, "officer@herts.demo", viewport=NARROW)
    try:
        visit(page, live_server + "/h/herts/oversight/")
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('svg.chart-svg text')].map((t) => {
              const box = t.getBoundingClientRect(), svg = t.closest('svg').getBoundingClientRect();
              return {size: parseFloat(getComputedStyle(t).fontSize), height: box.height,
                      inside: box.right <= svg.right + 1, text: t.textContent};
            })"""
        )
        assert len(sizes) >= 8
        small = [s for s in sizes if s["size"] < 16 or s["height"] < 14]
        assert not small, f"labels drawn under 16px at 320px: {small[:5]}"
        clipped = [s["text"] for s in sizes if not s["inside"]]
        assert not clipped, f"labels running past the chart's edge: {clipped[:5]}"
        assert_no_horizontal_scroll(page)
    finally:
        context.close()
