"""The decision context in the browser: Kent's approver opens the commission
awaiting approval and its agreement, reads the year's Hub grant against the
allocation before deciding, and both pages pass axe with it (and fit a
320px screen)."""

from __future__ import annotations

import pytest

from commissioning.models import Commission
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_horizontal_scroll, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def test_kent_s_approver_reads_the_decision_context_and_both_pages_pass_axe(page, live_server):
    c = Commission.objects.filter(hub__slug="kent", status="approval").order_by("pk").first()
    sign_in_as(page, live_server, "approver@kent.demo")
    for url in (
        f"{live_server.url}/h/kent/commissions/{c.reference}/",
        f"{live_server.url}/h/kent/commissions/{c.reference}/agreement/1/",
    ):
        visit(page, url)
        panel = page.get_by_role("region", name="Before you decide")
        assert panel.is_visible()
        # the allocation of the year of the commission's needs analysis
        assert f"Allocated for {c.need.analysis.cycle}" in panel.inner_text()
        assert "Committed if approved" in panel.inner_text()
        assert_accessible(page, context=f"decision context on {url}")
        page.set_viewport_size({"width": 320, "height": 800})
        assert_no_horizontal_scroll(page)
        page.set_viewport_size({"width": 1280, "height": 800})
