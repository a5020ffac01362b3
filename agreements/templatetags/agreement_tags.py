"""The commission page's agreement section. templates/commissioning/
commission_detail.html loads this tag, so commissioning imports nothing of ours."""

from __future__ import annotations

from django import template

from agreements.models import AgreementStatus
from agreements.selectors import agreements_of
from commissioning.policy import is_officer
from commissioning.workflow import Stage

register = template.Library()


@register.inclusion_tag("agreements/_commission_section.html")
def agreement_section(commission, access) -> dict:
    agreements = agreements_of(access, commission)
    may_draft = (
        commission.status == Stage.DRAFT
        and not any(a.period_number == 1 for a in agreements)
        and is_officer(access.user, commission, access)  # from what access already read
    )
    deciding = next(
        (a for a in agreements if a.status == AgreementStatus.APPROVAL and a.period_number == 1),
        None,
    )
    board_comments = deciding.board_comments.count() if deciding is not None else 0
    return {
        "deciding": deciding,
        "board_comments": board_comments,
        "commission": commission,
        "hub": access.hub,
        "agreements": agreements,
        "may_draft": may_draft,
        "show": bool(agreements) or may_draft,
    }
