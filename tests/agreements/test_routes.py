"""Each policy's route from draft to signed, through the agreement services,
with notifications sent only after commit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from agreements import services as ag
from agreements.models import Agreement, AgreementStatus, InstalmentStatus, SigningParty
from commissioning import services as cs
from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.models import AdvisoryGroup, RouteStep
from hubs.models import BoardComment as Setting
from hubs.refusals import Refused

pytestmark = pytest.mark.django_db

SLUGS = ["blmk", "consortium", "herts", "kent", "leics"]


def drafted(build, pipeline, slug):
    cast = build(slug)
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    p.identify(c)
    p.award(c)
    return cast, p, c, Agreement.objects.get(commission=c)


def sign_both(cast, agreement, countersigner=None):
    contact = cast.contacts[agreement.commission.partner_id]
    ag.agreement_sign(
        agreement=agreement,
        user=contact,
        full_name="Pat Partner",
        role_title="Director",
        consent=True,
        ip_address="203.0.113.5",
        user_agent="pytest",
    )
    ag.agreement_countersign(
        agreement=agreement,
        user=countersigner or cast.officer,  # the signatory the agreement names
        full_name="Olivia Officer",
        role_title="Head of Service",
        consent=True,
        ip_address="203.0.113.6",
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_each_policy_runs_from_draft_to_signed(
    build, pipeline, slug, django_capture_on_commit_callbacks, mailoutbox
):
    cast, p, c, agreement = drafted(build, pipeline, slug)
    officer = p._officer()
    assert agreement.status == AgreementStatus.DRAFT
    setting = c.policy.board_comment_on_drafts
    if setting == Setting.SKIPPED:
        ag.agreement_submit_for_approval(agreement=agreement, user=officer)
    else:
        ag.agreement_send_to_board(agreement=agreement, user=officer)
        agreement.refresh_from_db()
        assert agreement.status == AgreementStatus.BOARD_COMMENT
        assert agreement.board_comment_closes_at is not None
        for member in cast.board:
            ag.board_comment_add(agreement=agreement, user=member, body=f"{member} agrees.")
        # every member has commented, so the window closes early
        ag.agreement_close_board_comment(agreement=agreement, user=officer)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVAL
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ag.agreement_approve(agreement=agreement, user=cast.approver, note="Agreed.")
    assert callbacks, "the PDF and notices wait for the commit"
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ISSUED
    expected_comments = 0 if setting == Setting.SKIPPED else len(cast.board)
    assert agreement.comments_before_decision == expected_comments
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sign_both(cast, agreement)
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert mailoutbox, "the partner and countersigners are told after commit"
    agreement.refresh_from_db()
    c.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert c.status == Stage.MONITORING
    assert set(agreement.signatures.values_list("party", flat=True)) == set(SigningParty.values)
    first = agreement.instalments.get(position=1)
    assert first.status == InstalmentStatus.DUE, "due on signature"
    assert agreement.pdf, "the PDF is rendered after commit"


def test_a_draft_without_a_balanced_schedule_cannot_be_submitted(build, pipeline):
    _cast, p, c, agreement = drafted(build, pipeline, "blmk")
    agreement.instalments.filter(position=2).update(percent=40)
    with pytest.raises(Refused, match="percentages add up to 90%"):
        cs.commission_submit_for_approval(commission=c, user=p._officer())


def test_the_commission_is_signed_only_through_the_agreement(build, pipeline):
    cast, p, c, _agreement = drafted(build, pipeline, "kent")
    p.to_approval(c)
    p.approve(c)
    with pytest.raises(Refused, match="signing page"):
        cs.commission_sign(commission=c, user=cast.contacts[c.partner_id])


def test_return_to_draft_needs_reasons_and_keeps_them(build, pipeline):
    cast, p, c, agreement = drafted(build, pipeline, "leics")
    p.to_approval(c)
    with pytest.raises(Refused):
        ag.agreement_return_to_draft(agreement=agreement, user=cast.approver, reason=" ")
    ag.agreement_return_to_draft(
        agreement=agreement, user=cast.approver, reason="Name the safeguarding lead."
    )
    agreement.refresh_from_db()
    c.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert c.status == Stage.DRAFT
    assert agreement.decision_note == "Name the safeguarding lead."


def test_a_generic_move_keeps_the_agreement_in_step(build, pipeline):
    cast, p, c, agreement = drafted(build, pipeline, "herts")
    p.to_approval(c)
    cs.commission_approve(commission=c, user=cast.approver)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ISSUED
    assert agreement.decided_by == cast.approver


def test_where_the_hlo_delivers_a_colleague_signs_and_another_countersigns(build, pipeline):
    cast, p, c, agreement = drafted(build, pipeline, "consortium")
    assert c.partner.is_hlo
    assert "named colleague signs" in agreement.section("signatories")["body"]
    p.to_approval(c)
    p.approve(c)
    contact = cast.contacts[c.partner_id]
    ag.agreement_sign(
        agreement=agreement, user=contact, full_name="Pat", role_title="Head", consent=True
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PARTNER_SIGNED
    from hubs.models import Role
    from hubs.services import membership_grant

    membership_grant(hub=cast.hub, user=contact, role=Role.HLO_STAFF)
    with pytest.raises(Refused, match="different person"):
        ag.agreement_countersign(
            agreement=agreement, user=contact, full_name="Pat", role_title="Head", consent=True
        )
    ag.agreement_countersign(
        agreement=agreement, user=cast.officer, full_name="Olivia", role_title="CEO", consent=True
    )
    assert Commission.objects.get(pk=c.pk).status == Stage.MONITORING


def test_board_comments_and_responses_are_told_after_commit(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast, _p, _c, agreement = drafted(build, pipeline, "herts")
    with django_capture_on_commit_callbacks(execute=True):
        ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = ag.board_comment_add(
            agreement=agreement, user=cast.board[0], body="Why 50/50?", section_key="payments"
        )
    assert mailoutbox == [], "nothing is sent inside the transaction"
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[cast.officer.email]]
    assert "a board member commented" in mailoutbox[0].subject
    assert f"/h/herts/commissions/{agreement.commission.reference}/agreement/1/" in (
        mailoutbox[0].body
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ag.board_comment_respond(comment=comment, user=cast.officer, response="Standard terms.")
    assert [m.to for m in mailoutbox] == [[cast.board[0].email]]


def test_only_board_members_comment_and_only_on_real_sections(build, pipeline):
    cast, _p, _c, agreement = drafted(build, pipeline, "kent")
    with pytest.raises(Refused, match="once the draft has been sent to it"):
        ag.board_comment_add(agreement=agreement, user=cast.board[0], body="Too early")
    ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    with pytest.raises(Refused, match="Only members of the Hub Board"):
        ag.board_comment_add(agreement=agreement, user=cast.officer, body="Not a member")
    with pytest.raises(Refused, match="Choose a section"):
        ag.board_comment_add(
            agreement=agreement, user=cast.board[0], body="?", section_key="nonsense"
        )


def test_the_board_window_stays_open_until_every_member_has_commented(build, pipeline):
    cast, _p, _c, agreement = drafted(build, pipeline, "herts")
    ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    ag.board_comment_add(agreement=agreement, user=cast.board[0], body="One of two.")
    with pytest.raises(Refused, match="comment window is open until"):
        ag.agreement_close_board_comment(agreement=agreement, user=cast.officer)


def test_withdrawing_the_commission_withdraws_its_draft_agreement(build, pipeline):
    cast, _p, c, agreement = drafted(build, pipeline, "leics")
    cs.commission_withdraw(commission=c, user=cast.officer, reason="Need met elsewhere.")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.WITHDRAWN


def test_a_board_comment_is_saved_and_its_email_kept_while_the_broker_is_down(
    build, pipeline, client, broker_down, django_capture_on_commit_callbacks
):
    from notices.models import OutboxMessage, OutboxStatus
    from notices.services import outbox_deliver
    from tests.auth_helpers import sign_in

    cast, _p, commission, agreement = drafted(build, pipeline, "herts")
    ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    outbox_deliver()
    sign_in(client, cast.board[0])
    url = f"/h/herts/commissions/{commission.reference}/agreement/1/comments/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Why 50/50?", "section_key": ""})
    assert response.status_code == 302, "the page answers; the broker is not needed"
    assert agreement.board_comments.filter(body="Why 50/50?").exists()
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert list(pending.values_list("to_email", flat=True)) == [cast.officer.email]


def test_a_named_group_comments_where_the_route_asks_it(build, pipeline):
    """Kent's Lead Schools Advisory Group, not the whole board, gives its view
    on drafts once the route's comment step names it; the window closes
    early once every member of the group has commented."""
    cast, _p, c, agreement = drafted(build, pipeline, "kent")
    group = AdvisoryGroup.objects.get(hub=cast.hub, name="Lead Schools Advisory Group")
    group.members.set([cast.board[0], cast.approver])
    RouteStep.objects.filter(route__policy=c.policy, route__kind="award", kind="comment").update(
        body="group", group=group, name=""
    )
    ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    with pytest.raises(Refused, match="Only members of the Lead Schools Advisory Group"):
        ag.board_comment_add(agreement=agreement, user=cast.board[1], body="Not a member")
    ag.board_comment_add(agreement=agreement, user=cast.board[0], body="Name the schools.")
    c.refresh_from_db()
    assert c.board_comment_closes_at > timezone.now()  # one of two has spoken
    ag.board_comment_add(agreement=agreement, user=cast.approver, body="Agreed.")
    c.refresh_from_db()
    assert c.board_comment_closes_at <= timezone.now()  # every member has: it closes
    ag.agreement_close_board_comment(agreement=agreement, user=cast.officer)
