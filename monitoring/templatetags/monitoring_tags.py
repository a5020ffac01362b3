"""The monitoring section of the commission page (templates/commissioning/
commission_detail.html), so commissioning's view needs to know nothing of
monitoring. It reads through monitoring's selector: two queries."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from commissioning.selectors import PARTNERSHIP_STAGES
from commissioning.workflow import Stage
from monitoring.selectors import progress_of

register = template.Library()

SHOWN_IN = {*PARTNERSHIP_STAGES, Stage.DECOMMISSIONED} - {Stage.ISSUED}


@register.inclusion_tag("monitoring/commission_section.html")
def monitoring_section(commission, access) -> dict:
    shown = commission.status in SHOWN_IN
    return {
        "shown": shown,
        "hub": commission.hub,
        "commission": commission,
        "progress": progress_of(commission) if shown else [],
        "internal": access.is_internal,
    }


@register.inclusion_tag("monitoring/dashboard_section.html")
def monitoring_waiting(access, limit: int = 10) -> dict:
    """On the dashboard: the reports a partner owes (one query); for
    officers, a link to the reports waiting to be accepted."""
    from monitoring.models import PARTNER_EDITS
    from monitoring.selectors import reports_visible

    if not access.is_partner or access.is_officer:
        # Officers: a link, no query (the dashboard is at its query budget).
        return {"shown": access.is_officer, "hub": access.hub, "officer": True}
    reports = reports_visible(access).filter(status__in=PARTNER_EDITS)
    heading = "Reports you owe"
    return {
        "shown": True,
        "hub": access.hub,
        "heading": heading,
        "reports": list(reports.order_by("due_on", "pk")[:limit]),
        "today": timezone.localdate(),
    }


@register.simple_tag
def todo_url(item, hub) -> str:
    """Where a to-do on the dashboard leads: the page the board comments on
    for the board's comments, the commission's page for everything else."""
    from monitoring.selectors import comment_page

    ref = item.commission.reference
    page = comment_page(item.task)  # the board's, or a named group's
    if page == "draft":
        return reverse("agreements:detail", args=[hub.slug, ref, 1])
    if page == "recommendation":
        return reverse("monitoring:recommendation", args=[hub.slug, ref])
    return ""


@register.simple_tag
def report_schedules(policy) -> list[str]:
    """The policy page's reporting lines, from the policy's own schedules
    (hubs sits below monitoring, so its page asks here)."""
    from monitoring.report_schedules import schedules_words

    return schedules_words(policy)
