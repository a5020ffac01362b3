"""Introductory meetings on other pages: the requests waiting on the HLO's
officers, on their dashboard (commissioning's dashboard template)."""

from __future__ import annotations

from django import template

from partners.directory.selectors import meetings_to_arrange

register = template.Library()


@register.inclusion_tag("partners/_dashboard_meetings.html")
def meetings_asked_for(access):
    return {"hub": access.hub, "meetings": meetings_to_arrange(access)}
