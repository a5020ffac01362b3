"""Joint bids on other pages: the bids a co-applicant is named in (its
dashboard) and the partners of a commission (its page, the register)."""

from __future__ import annotations

from django import template

from commissioning.joint import partners_of
from commissioning.joint_selectors import joint_bids_of
from commissioning.rules.joint import co_applicants_of

register = template.Library()


@register.inclusion_tag("commissioning/joint/_dashboard.html")
def joint_bids(access):
    return {"hub": access.hub, "links": joint_bids_of(access)}


@register.filter
def joint_partners(commission):
    """Every partner of a joint commission, the lead first; [] for a solo one."""
    return partners_of(commission)


@register.filter
def bid_co_applicants(proposal):
    """A joint bid's co-applicants (the lead is the proposal's partner); [] alone."""
    return co_applicants_of(proposal)
