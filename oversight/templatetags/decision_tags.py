"""The decision context panel on the commission and agreement pages. Those
templates load this tag, so commissioning and agreements import nothing of
oversight's (apps import downwards only)."""

from __future__ import annotations

from django import template

from oversight.decision_context import decision_context

register = template.Library()


@register.inclusion_tag("oversight/_decision_context.html")
def decision_panel(commission, access, agreement=None) -> dict:
    return {
        "panel": decision_context(commission, access, agreement),
        "commission": commission,
        "hub": access.hub,
    }
