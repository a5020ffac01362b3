"""Compliance on other apps' pages: a partner's records in summary, for the
partner directory's include (templates/partners/_compliance.html); apps
below compliance never import it, their templates ask here."""

from __future__ import annotations

from django import template

from compliance.rules import is_staff_for, sees_records
from compliance.selectors import records_of
from compliance.status import partner_summary

register = template.Library()


@register.inclusion_tag("compliance/_summary.html")
def compliance_summary(partner, access) -> dict:
    """One line per kind of record: the partner's best record and where it
    stands. Reads `partner._compliance_records` when a list page loaded them."""
    if access is None or not sees_records(access):
        return {"lines": [], "hidden": True}
    return {
        "lines": partner_summary(access.hub, records_of(partner)),
        "partner": partner,
        "hub": access.hub,
        "staff": is_staff_for(access, partner),
    }
