"""What monitoring tells a partner's page (partners/hooks.py): the reports
its partnerships owe and have sent, as the reader may see them."""

from __future__ import annotations

from typing import Any

from monitoring.selectors import reports_visible
from partners.hooks import Section

SHOWN = 12  # the latest; the reports list has the rest


def reports(access: Any, partner: Any) -> dict:
    rows = reports_visible(access).filter(commission__partner=partner)
    return {
        "reports": list(rows.order_by("-due_on", "-pk")[:SHOWN]),
        "reports_shown": SHOWN,
    }


SECTION = Section("reports", "Reports", "partners/sections/reports.html", reports, position=30)
