"""The commission page's agreement section. templates/commissioning/
commission_detail.html loads this tag, so commissioning imports nothing of ours."""

from __future__ import annotations

from django import template

from agreements.models import AgreementStatus
from agreements.rules import agreement_create_refusal
from agreements.selectors import agreements_of
from commissioning.workflow import Stage

register = template.Library()


@register.inclusion_tag("agreements/_commission_section.html")
def agreement_section(commission, access) -> dict:
    agreements = agreements_of(access, commission)
    may_draft = (
        commission.status == Stage.DRAFT  # saves the gate's query on every other page
        and agreement_create_refusal(commission, access.user, access) is None
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
