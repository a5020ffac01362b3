"""Oversight in the browser: the public register for anyone; the dashboard,
policy versions and board packs for HLO staff, approvers and the board. Every
page is checked with axe-core and for CSP refusals."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from demo import stories
from hubs.models import Hub
from oversight.models import BoardPack
from oversight.services import board_pack_build
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, assert_no_horizontal_scroll, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def open_oversight(page, live_server, email: str, slug: str) -> None:
    sign_in_as(page, live_server, email)
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # on a phone the navigation is behind its menu button
        menu.click()
    page.get_by_role("link", name="Oversight", exact=True).click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == f"/h/{slug}/oversight/"
    assert page.locator("h1").inner_text() == "Oversight"


def test_anyone_reads_the_register_without_signing_in(page, live_server):
    visit(page, live_server + "/hubs/herts/policy/")
    page.get_by_role("link", name="Register of partnerships").click()  # in the header
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/hubs/herts/register/"
    assert page.locator("h1").inner_text() == "Register of partnerships"
    assert page.get_by_role("rowheader", name="Soundwaves SEND Music").count() >= 1
    assert page.get_by_role("link", name="360Giving data as JSON").count() == 1
    check(page, "register, anonymous")
    with page.expect_download() as download:
        page.get_by_role("link", name="360Giving data as CSV (spreadsheet)").click()
    assert download.value.suggested_filename == "herts-360giving.csv"


def test_the_register_fits_a_phone(phone_page, live_server):
    visit(phone_page, live_server + "/hubs/blmk/register/")
    check(phone_page, "register, phone")
    assert_no_horizontal_scroll(phone_page)


def test_an_officer_prepares_a_board_pack_and_downloads_it(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    open_oversight(page, live_server, "officer@herts.demo", "herts")
    assert page.get_by_role("heading", name="Exports").count() == 1
    assert page.locator("svg.chart-svg[role=img]").count() >= 4
    check(page, "officer: oversight dashboard")

    page.get_by_role("link", name="The policy's versions and what changed").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Commissioning policy versions"
    decides = page.get_by_role("table", name=re.compile("^Who decides what under version"))
    assert decides.get_by_role("rowheader", name="Submit the draft for approval").count() == 1
    assert "the Hertfordshire Music Hub board comments on every draft" in decides.inner_text()
    check(page, "officer: policy versions")

    visit(page, live_server + "/h/herts/oversight/board-packs/")
    page.get_by_role("button", name="Prepare the board pack").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 1  # no date given
    assert page.get_by_label("Date of the board meeting").get_attribute("aria-invalid") == "true"
    check(page, "officer: board pack refused")

    page.get_by_label("Date of the board meeting").fill("2099-03-12")
    page.get_by_role("button", name="Prepare the board pack").click()
    page.wait_for_load_state("load")
    link = page.get_by_role("link", name="Download the board pack (PDF)")
    link.wait_for(state="visible")
    assert page.get_by_role("status").inner_text() == "The board pack is ready."
    check(page, "officer: board pack progress")
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_an_approver_sees_the_dashboard(page, live_server):
    open_oversight(page, live_server, "approver@kent.demo", "kent")
    check(page, "approver: oversight dashboard")


def test_a_board_member_sees_the_dashboard_without_exports(page, live_server):
    open_oversight(page, live_server, "board1@blmk.demo", "blmk")
    assert page.get_by_role("heading", name="Exports").count() == 0
    this_year = stories.cycles()[1]  # the demo has commissions this academic year
    assert page.get_by_role("heading", name=f"By service area, {this_year}").count() == 1
    check(page, "board member: oversight dashboard")
    visit(page, live_server + "/h/blmk/oversight/board-packs/")
    check(page, "board member: board packs")


def test_the_dashboard_fits_a_phone(phone_page, live_server):
    open_oversight(phone_page, live_server, "board1@herts.demo", "herts")
    check(phone_page, "dashboard on a phone")
    assert_no_horizontal_scroll(phone_page)


def test_who_decides_what_fits_a_narrow_phone(phone_page, live_server):
    """At 320px the table becomes a list of rows, each cell naming its column,
    and is still read as a table, with its row and column headers."""
    sign_in_as(phone_page, live_server, "board1@blmk.demo")
    phone_page.set_viewport_size({"width": 320, "height": 700})
    visit(phone_page, live_server + "/h/blmk/oversight/policy-versions/")
    decides = phone_page.get_by_role("table", name=re.compile("^Who decides what"))
    approve = decides.get_by_role("row", name=re.compile("^Approve the partnership"))
    assert approve.get_by_role("cell", name=re.compile("BLMK Executive Group")).count() == 1
    assert "Who may make it: BLMK Executive Group" in approve.inner_text()
    check(phone_page, "board member: who decides what at 320px")
    assert_no_horizontal_scroll(phone_page)


def test_the_progress_page_updates_itself_when_the_pack_is_ready(
    page, live_server, settings, tmp_path
):
    """The poller (static/js/board_pack.js) asks for the status and shows the
    download link once the task has finished, without a reload."""
    settings.MEDIA_ROOT = tmp_path
    sign_in_as(page, live_server, "board2@herts.demo")
    hub = Hub.objects.get(slug="herts")
    pack = BoardPack.objects.create(
        hub=hub, requested_by=hub.memberships.first().user, meeting_on=date(2099, 1, 5)
    )
    visit(page, live_server + f"/h/herts/oversight/board-packs/{pack.pk}/")
    link = page.get_by_role("link", name="Download the board pack (PDF)")
    assert not link.is_visible()
    assert "Waiting to start" in page.get_by_role("status").inner_text()
    check(page, "board member: board pack waiting")
    board_pack_build(pack_id=pack.pk)
    link.wait_for(state="visible", timeout=10_000)
    assert page.get_by_role("status").inner_text() == "The board pack is ready."
    assert not page.get_by_role("link", name="Check again").is_visible()
