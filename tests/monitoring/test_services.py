"""Monitoring's service layer under each of the five policies: schedules,
reports, reviews and decommissioning routes, annual review, complaints."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.models import Agreement, Instalment, InstalmentStatus
from commissioning.models import Commission, SmartTarget, TransitionLog
from commissioning.workflow import Stage
from hubs.refusals import Refused
from monitoring import services as svc
from monitoring.models import (
    AnnualReview,
    ComplaintStatus,
    Report,
    ReportKind,
    ReportStatus,
    ReviewStatus,
)
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

CADENCE = {
    "herts": ReportKind.PROGRESS,
    "kent": ReportKind.KPI_REVIEW,
    "blmk": ReportKind.PROGRESS,
    "leics": ReportKind.TERMLY_SURVEY,
    "consortium": ReportKind.PERFORMANCE,
}


def refused(rule: str):
    """pytest.raises for a refusal, checked by its rule after the block."""
    return pytest.raises(Refused, match=r".+")


def assert_rule(info, rule: str) -> str:
    assert info.value.rule == rule, info.value
    return str(info.value)


# ── schedules ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize("slug", sorted(CADENCE))
def test_signing_creates_the_policys_schedule(live, slug):
    _cast, c = live(slug)
    reports = list(Report.objects.filter(commission=c).order_by("due_on"))
    kinds = [r.kind for r in reports]
    assert kinds[-1] == ReportKind.FINAL_EVALUATION
    assert set(kinds[:-1]) == {CADENCE[slug]}
    assert len(reports) >= 2
    assert all(r.status == ReportStatus.DUE for r in reports)
    agreement = Agreement.objects.get(commission=c, period_number=1)
    assert all(agreement.starts_on < r.due_on for r in reports)
    assert reports[-1].due_on == agreement.ends_on + timedelta(days=28)


def test_leicestershire_surveys_fall_at_the_end_of_each_term(live):
    _cast, c = live("leics")
    titles = list(
        Report.objects.filter(commission=c, kind=ReportKind.TERMLY_SURVEY).values_list(
            "title", flat=True
        )
    )
    assert titles and all("term survey" in t for t in titles)


def test_the_schedule_is_created_once(live):
    _cast, c = live("herts")
    before = Report.objects.filter(commission=c).count()
    svc.schedule_create(commission=c)
    assert Report.objects.filter(commission=c).count() == before


def test_officer_asks_for_an_ad_hoc_report_and_the_final_evaluation(live):
    cast, c = live("kent")
    due = timezone.localdate() + timedelta(days=14)
    ad_hoc = svc.report_request(commission=c, user=cast.officer, title="Summer concert", due_on=due)
    assert ad_hoc.kind == ReportKind.AD_HOC and ad_hoc.requested_by == cast.officer
    final = svc.report_request(
        commission=c, user=cast.officer, title="Final evaluation", due_on=due, final=True
    )
    finals = Report.objects.filter(commission=c, kind=ReportKind.FINAL_EVALUATION)
    assert list(finals) == [final], "the scheduled final evaluation gives way to the one asked for"
    with refused("officer_only") as info:
        svc.report_request(commission=c, user=cast.board[0], title="X", due_on=due)
    assert "Only HLO staff can ask for a report" in assert_rule(info, "officer_only")
    with refused("due_in_future") as info:
        svc.report_request(
            commission=c, user=cast.officer, title="X", due_on=due - timedelta(days=30)
        )
    assert_rule(info, "due_in_future")


# ── reports ─────────────────────────────────────────────────────────────────


def _first(c: Commission) -> Report:
    return Report.objects.filter(commission=c).order_by("due_on").first()


def test_partner_saves_as_they_go_then_submits_and_the_officer_accepts(live):
    cast, c = live("herts")
    contact, report = contact_of(cast, c), _first(c)
    target = SmartTarget.objects.get(need=c.need)
    svc.report_save(report=report, user=contact, answers={"activities": "Ten sessions."})
    with refused("required") as info:
        svc.report_submit(report=report, user=contact)
    fields = {r.field for r in info.value.refusals}
    assert fields == {"outcomes", "participants"}
    report.refresh_from_db()
    assert report.activities == "Ten sessions.", "nothing lost when submitting is refused"
    svc.report_save(
        report=report,
        user=contact,
        answers={"outcomes": "Two new ensembles.", "participants": 60, "send": 3},
        progress={target.pk: (Decimal(70), "Enrolled by March")},
    )
    svc.report_submit(report=report, user=contact)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == contact

    agreement = Agreement.objects.get(commission=c, period_number=1)
    instalment = Instalment.objects.create(
        agreement=agreement, position=9, percent=Decimal(10), milestone="report_accepted"
    )
    assert instalment in svc.releasable_instalments(report)
    svc.report_accept(report=report, user=cast.officer, instalment=instalment)
    report.refresh_from_db()
    instalment.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.instalment == instalment
    assert instalment.status == InstalmentStatus.DUE
    assert "accepted" in instalment.due_reason


def test_refusals_on_reports_say_why(live):
    cast, c = live("blmk")
    report = _first(c)
    other = cast.contacts[cast.partners["mkrock"].pk]
    with refused("partner_only") as info:
        svc.report_save(report=report, user=other, answers={"activities": "x"})
    assert "Only a contact of Luton Music Service" in assert_rule(info, "partner_only")
    with refused("not_submitted") as info:
        svc.report_accept(report=report, user=officer_of(cast, c))
    assert "only a submitted report" in assert_rule(info, "not_submitted")
    svc.report_save(
        report=report,
        user=contact_of(cast, c),
        answers={"activities": "a", "outcomes": "b", "participants": 10, "age_5_10": 12},
    )
    with refused("ages_exceed") as info:
        svc.report_submit(report=report, user=contact_of(cast, c))
    assert "more than the 10 participants" in str(info.value.refusals[0])
    svc.report_save(report=report, user=contact_of(cast, c), answers={"age_5_10": 8})
    svc.report_submit(report=report, user=contact_of(cast, c))
    with refused("officer_only") as info:
        svc.report_accept(report=report, user=cast.leads["Bedford Borough"])
    assert "service lead for Luton" in assert_rule(info, "officer_only")
    with refused("comments_required") as info:
        svc.report_return(report=report, user=officer_of(cast, c), comments=" ")
    assert_rule(info, "comments_required")
    svc.report_return(report=report, user=officer_of(cast, c), comments="Add the schools.")
    assert report.status == ReportStatus.RETURNED
    svc.report_save(report=report, user=contact_of(cast, c), answers={"schools": 6})
    svc.report_submit(report=report, user=contact_of(cast, c))
    svc.report_accept(report=report, user=officer_of(cast, c))
    with refused("not_editable") as info:
        svc.report_save(report=report, user=contact_of(cast, c), answers={"schools": 7})
    assert_rule(info, "not_editable")


def test_a_final_evaluation_needs_recommendations(live):
    cast, c = live("leics")
    final = Report.objects.get(commission=c, kind=ReportKind.FINAL_EVALUATION)
    contact = contact_of(cast, c)
    svc.report_save(
        report=final,
        user=contact,
        answers={"activities": "a", "outcomes": "b", "participants": 40, "case_study": "Amy"},
    )
    with refused("required") as info:
        svc.report_submit(report=final, user=contact)
    assert [r.field for r in info.value.refusals] == ["recommendations"]


# ── reviews and decommissioning, policy by policy ───────────────────────────


def _review(cast, c, trigger="targets"):
    return svc.review_open(
        commission=c,
        user=officer_of(cast, c),
        trigger=trigger,
        findings="Enrolment is 45 against a target of 120.",
    )


def _window_passed(c: Commission) -> None:
    Commission.objects.filter(pk=c.pk).update(
        board_comment_closes_at=timezone.now() - timedelta(minutes=1)
    )


def test_herts_board_comments_then_the_elt_approves(live):
    cast, c = live("herts")
    review = _review(cast, c)
    svc.review_recommend(
        review=review, user=cast.officer, grounds="unmet_objectives", reason="Targets missed."
    )
    assert review.status == ReviewStatus.RECOMMENDED
    with refused("board_comment_required") as info:
        svc.review_move(review=review, user=cast.officer, action="submit_decommission_for_decision")
    assert "board to comment on every recommendation" in assert_rule(info, "board_comment_required")
    svc.review_move(review=review, user=cast.officer, action="send_decommission_to_board")
    with refused("comment_window_open") as info:
        svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    assert_rule(info, "comment_window_open")
    _window_passed(c)
    svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    with refused("approver_only") as info:
        svc.review_move(
            review=review, user=cast.officer, action="approve_decommission", reason="Agreed."
        )
    assert "HMS Executive Leadership Team" in assert_rule(info, "approver_only")
    svc.review_move(review=review, user=cast.approver, action="approve_decommission", reason="Ok")
    svc.review_move(review=review, user=cast.officer, action="end_partnership")
    c.refresh_from_db()
    assert c.status == Stage.DECOMMISSIONED and c.decommission_grounds == "unmet_objectives"


@pytest.mark.parametrize("slug", ["herts", "kent", "blmk", "consortium"])
def test_no_immediate_termination_where_the_policy_has_none(live, slug):
    cast, c = live(slug)
    review = _review(cast, c, trigger="safeguarding")
    with refused("no_immediate_termination") as info:
        svc.review_terminate(review=review, user=cast.approver, reason="Breach.")
    assert "has no immediate termination" in assert_rule(info, "no_immediate_termination")
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_leics_chair_decides_and_that_is_final(live):
    cast, c = live("leics")
    review = _review(cast, c)
    with refused("grounds_required") as info:
        svc.review_recommend(review=review, user=cast.officer, grounds="", reason="x")
    assert_rule(info, "grounds_required")
    svc.review_recommend(
        review=review, user=cast.officer, grounds="data_late", reason="Surveys never returned."
    )
    with refused("no_board_comment") as info:
        svc.review_move(review=review, user=cast.officer, action="send_decommission_to_board")
    assert_rule(info, "no_board_comment")
    svc.review_move(review=review, user=cast.officer, action="submit_decommission_for_decision")
    with refused("chair_decides") as info:
        svc.review_move(
            review=review, user=cast.approver, action="approve_decommission", reason="Yes."
        )
    assert "the chair the final say" in assert_rule(info, "chair_decides")
    svc.review_move(review=review, user=cast.chair, action="approve_decommission", reason="Yes.")
    c.refresh_from_db()
    assert c.status == Stage.DECOMMISSION_APPROVED


def test_leics_safeguarding_breach_terminates_at_once_recording_who_and_why(live):
    cast, c = live("leics")
    review = _review(cast, c, trigger="safeguarding")
    with refused("chair_decides") as info:
        svc.review_terminate(review=review, user=cast.officer, reason="Breach on 3 March.")
    assert_rule(info, "chair_decides")
    svc.review_terminate(review=review, user=cast.chair, reason="Breach on 3 March.")
    c.refresh_from_db()
    assert c.status == Stage.DECOMMISSIONED and c.decommission_grounds == "safeguarding"
    log = TransitionLog.objects.filter(commission=c).latest("pk")
    assert (log.action, log.actor, log.reason) == (
        "terminate_immediately",
        cast.chair,
        "Breach on 3 March.",
    )
    assert review.status == ReviewStatus.TERMINATED and review.closed_by == cast.chair


@pytest.mark.parametrize("route", ["direct", "board"])
def test_kent_board_comment_is_advisory(live, route):
    cast, c = live("kent")
    review = _review(cast, c, trigger="objectives_met")
    svc.review_recommend(
        review=review, user=cast.officer, grounds="sustainable", reason="Self-funding now."
    )
    if route == "board":
        svc.review_move(review=review, user=cast.officer, action="send_decommission_to_board")
        _window_passed(c)
        svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    else:
        svc.review_move(review=review, user=cast.officer, action="submit_decommission_for_decision")
    svc.review_move(review=review, user=cast.approver, action="reject_decommission", reason="No.")
    c.refresh_from_db()
    assert c.status == Stage.MONITORING and c.decommission_grounds == ""
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED and review.closed_by == cast.approver


@pytest.mark.parametrize("slug", ["blmk", "consortium"])
def test_blmk_and_consortium_go_straight_to_the_approvers(live, slug):
    cast, c = live(slug)
    review = _review(cast, c, trigger="standards")
    svc.review_recommend(
        review=review, user=officer_of(cast, c), grounds="quality", reason="Quality visits."
    )
    with refused("no_board_comment"):
        svc.review_move(
            review=review, user=officer_of(cast, c), action="send_decommission_to_board"
        )
    svc.review_move(
        review=review, user=officer_of(cast, c), action="submit_decommission_for_decision"
    )
    svc.review_move(review=review, user=cast.approver, action="approve_decommission", reason="Ok")
    c.refresh_from_db()
    assert c.status == Stage.DECOMMISSION_APPROVED


def test_review_needs_findings_and_an_officer(live):
    cast, c = live("blmk")
    with refused("officer_only") as info:
        svc.review_open(
            commission=c, user=cast.leads["Bedford Borough"], trigger="targets", findings="x"
        )
    assert_rule(info, "officer_only")
    with refused("findings_required") as info:
        svc.review_open(commission=c, user=officer_of(cast, c), trigger="targets", findings=" ")
    assert_rule(info, "findings_required")
    review = _review(cast, c)
    svc.review_close(review=review, user=officer_of(cast, c), outcome="Action plan agreed.")
    with refused("review_closed"):
        svc.review_recommend(review=review, user=officer_of(cast, c), grounds="quality", reason="x")


# ── annual review of a one-year agreement ───────────────────────────────────


def test_leics_annual_review_renews_into_a_new_period(live):
    cast, c = live("leics")
    with refused("reason_required") as info:
        svc.annual_review_decide(commission=c, user=cast.officer, decision="renew", reason="")
    assert_rule(info, "reason_required")
    review = svc.annual_review_decide(
        commission=c, user=cast.officer, decision="renew", reason="Targets met; continue."
    )
    assert review.renewed_agreement.period_number == 2
    assert Report.objects.filter(commission=c, period_number=2).exists()
    with refused("already_decided"):
        svc.annual_review_decide(commission=c, user=cast.chair, decision="lapse", reason="x")


def test_leics_annual_review_can_let_it_lapse_by_the_chair_alone(live):
    cast, c = live("leics")
    with refused("chair_decides") as info:
        svc.annual_review_decide(
            commission=c, user=cast.officer, decision="lapse", reason="Data never on time."
        )
    assert assert_rule(info, "chair_decides") == (
        "Leicestershire Music Hub's policy gives the decision not to renew to the chair, "
        "whose decision is final."
    )
    svc.annual_review_decide(
        commission=c, user=cast.chair, decision="lapse", reason="Data never provided on time."
    )
    assert AnnualReview.objects.get(commission=c).get_decision_display().startswith("Let")
    assert not Agreement.objects.filter(commission=c, period_number=2).exists()


def test_herts_sets_the_term_per_agreement_so_has_no_annual_review(live):
    cast, c = live("herts")
    with refused("no_term") as info:
        svc.annual_review_decide(commission=c, user=cast.officer, decision="renew", reason="x")
    assert "sets each agreement's term itself" in assert_rule(info, "no_term")


# ── complaints ──────────────────────────────────────────────────────────────


def _complaint(cast, c):
    return svc.complaint_log(
        commission=c,
        user=officer_of(cast, c),
        kind="complaint",
        raised_by="A parent",
        received_on=timezone.localdate(),
        summary="Sessions cancelled without notice.",
    )


def test_leics_complaint_escalates_to_the_chair_whose_decision_is_final(live):
    cast, c = live("leics")
    complaint = _complaint(cast, c)
    svc.complaint_escalate(complaint=complaint, user=cast.officer, reason="Not satisfied.")
    assert complaint.status == ComplaintStatus.ESCALATED
    with refused("chair_decides") as info:
        svc.complaint_resolve(complaint=complaint, user=cast.officer, outcome="Apology.")
    assert "decided by the chair" in assert_rule(info, "chair_decides")
    svc.complaint_resolve(complaint=complaint, user=cast.chair, outcome="Upheld; refund.")
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.is_final
    with refused("resolved"):
        svc.complaint_resolve(complaint=complaint, user=cast.chair, outcome="Again.")


def test_herts_complaint_resolved_by_the_service_manager(live):
    cast, c = live("herts")
    complaint = _complaint(cast, c)
    with refused("officer_only"):
        svc.complaint_resolve(complaint=complaint, user=cast.board[0], outcome="x")
    svc.complaint_resolve(complaint=complaint, user=cast.officer, outcome="Sessions rescheduled.")
    assert complaint.status == ComplaintStatus.RESOLVED and not complaint.is_final
    with refused("not_logged"):
        svc.complaint_escalate(complaint=complaint, user=cast.officer, reason="x")
