"""What BLMK's policy asks of a partner (its service area, and a conflict of
interest declaration when a consortium member would commission itself) is
asked of every partner of a joint bid, not only the lead, and the refusal
names the co-applicant (commissioning/rules/joint.py)."""

from __future__ import annotations

import pytest

from commissioning import joint
from commissioning import services as cs
from commissioning.models import CommissionPartner
from commissioning.workflow import Stage
from tests.commissioning.calls.test_services import draft, publish, submit
from tests.commissioning.test_joint import close_call, joint_bid, name, refused

pytestmark = pytest.mark.django_db


def test_a_co_applicant_of_another_service_area_is_refused_at_submission(build, pipeline):
    cast = build("blmk")
    call = publish(cast, pipeline)
    assert call.commission.service_area.name == "Luton"
    proposal = draft(call, cast, "lutonbeats")
    link = name(proposal, cast, "mkrock")
    joint.co_applicant_confirm(link=link, user=cast.contacts[link.partner_id])
    caught = refused(lambda: submit(proposal, cast))
    area = next(r for r in caught.refusals if r.rule == "one_service_area")
    assert area.field == "co_applicants"
    assert area.message == (
        "In BLMK Music Hub each music service commissions its own partners: MK Rock School, "
        "a co-applicant, is a partner of Milton Keynes, and this commission belongs to Luton."
    )
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_a_co_applicant_of_the_same_area_goes_in(build, pipeline):
    cast = build("blmk")
    _, proposal, _ = joint_bid(cast, pipeline, "lutonbeats", "lutonms")
    assert proposal.status == "submitted"


def _award(cast, pipeline, call, proposal, **extra):
    close_call(call)
    return cs.commission_award(
        commission=call.commission,
        user=pipeline(cast)._officer(),
        partner=proposal.partner,
        proposal=proposal,
        **extra,
    )


def test_a_consortium_member_co_applicant_needs_the_declaration_at_the_award(build, pipeline):
    cast = build("blmk")
    call, proposal, _ = joint_bid(cast, pipeline, "lutonbeats", "lutonms")
    assert not proposal.partner.is_self_commissioning
    caught = refused(lambda: _award(cast, pipeline, call, proposal))
    assert (caught.rule, caught.field) == ("conflict_declaration_required", "conflict_declaration")
    assert caught.message.startswith(
        "Luton Music Service, a co-applicant of this joint bid, is a consortium member: record "
        "its conflict of interest declaration"
    )
    call.commission.refresh_from_db()
    assert call.commission.status == Stage.IDENTIFY

    _award(
        cast,
        pipeline,
        call,
        proposal,
        conflict_declaration="Luton Music Service delivers part; its head stood aside.",
    )
    call.commission.refresh_from_db()
    assert call.commission.status != Stage.IDENTIFY
    partners = CommissionPartner.objects.filter(commission=call.commission)
    assert {cp.partner.name for cp in partners} == {"Luton Youth Beats", "Luton Music Service"}
