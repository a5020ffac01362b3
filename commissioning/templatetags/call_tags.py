"""{% call_status_section call access %}: a call's status, counts, deadline
and next step (commissioning/calls/status.py) on pages other than the call's
own, such as its commission's page."""

from __future__ import annotations

from django import template

from commissioning.calls.selectors import is_staff
from commissioning.calls.status import call_status

register = template.Library()


@register.inclusion_tag("commissioning/calls/_call_status.html")
def call_status_section(call, access) -> dict:
    return {"call": call, "status": call_status(call, staff=is_staff(access, call))}
