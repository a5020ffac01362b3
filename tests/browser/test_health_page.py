"""The service status page (/health/) in a real browser: what the public sees
and the table staff see, both checked with axe-core and for CSP."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, session_cookie, visit
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def _calm_outbox(settings):
    # The demo's queued emails may be older than the threshold: not the point here.
    settings.HEALTH_OUTBOX_PENDING_MINUTES = 10**6
    settings.HEALTH_OUTBOX_FAILED_MAX = 10**6


def test_the_public_sees_whether_it_works(page, live_server):
    visit(page, live_server + "/health/")
    assert page.locator("h1").inner_text() == "Service status: working"
    assert page.locator("table").count() == 0
    assert_no_csp_violations(page)
    assert_accessible(page, context="service status, public")


def test_staff_see_each_part_checked(page, live_server):
    staff = UserFactory(is_staff=True)
    page.context.add_cookies([session_cookie(live_server, staff.email)])
    visit(page, live_server + "/health/")
    rows = page.locator("tbody th[scope=row]").all_inner_texts()
    assert rows == ["Database", "Cache", "Broker", "Storage", "Outbox"]
    assert_no_csp_violations(page)
    assert_accessible(page, context="service status, staff")
