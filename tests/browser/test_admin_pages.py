"""The admin pages where a hub admin configures their hub, each with the
widget axe used to fault: tabular inlines with rows (criteria, areas,
categories, needs) and an empty one (a decision route's steps), the two-box
pickers (a partner's specialisms, a named group's members), and a list with
its filters. No critical, serious or moderate violation on any of them.

The crawl (test_accessibility_crawl.py) reaches the admin too, but only as far
as its cap; these are the pages that must never slip past it."""

from __future__ import annotations

import pytest

from commissioning.models import NeedsAnalysis
from hubs.models import Hub
from partners.models import PartnerOrganisation
from tests.browser.axe import assert_accessible
from tests.browser.helpers import session_cookie, visit

pytestmark = pytest.mark.usefixtures("demo")

IMPACTS = ("critical", "serious", "moderate")


def test_the_hub_admins_configuration_pages_pass_axe(browser, live_server):
    hub = Hub.objects.get(slug="herts")
    partner = PartnerOrganisation.objects.filter(hub=hub, specialisms__isnull=False).first()
    analysis = NeedsAnalysis.objects.filter(hub=hub).first()
    pages = {
        "the hub, with its criteria, areas and categories": f"/admin/hubs/hub/{hub.pk}/change/",
        "a partner, with its specialisms picker": (
            f"/admin/partners/partnerorganisation/{partner.pk}/change/"
        ),
        "a new decision route, with its steps": "/admin/hubs/decisionroute/add/",
        "a new named group, with its members picker": "/admin/hubs/advisorygroup/add/",
        "a needs analysis, with its needs": (
            f"/admin/commissioning/needsanalysis/{analysis.pk}/change/"
        ),
        "the commissions, with their filters": "/admin/commissioning/commission/",
    }
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    context.add_cookies([session_cookie(live_server, "hubadmin@herts.demo")])
    page = context.new_page()
    try:
        for name, path in pages.items():
            visit(page, live_server + path)
            page.wait_for_load_state("load")
            if "picker" in name:  # SelectFilter2.js draws it on load
                page.wait_for_selector(".selector-filter span[role=img]")
            assert_accessible(page, context=f"admin: {name}", impacts=IMPACTS)
    finally:
        context.close()
