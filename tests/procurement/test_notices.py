"""Procurement Act notices: which a contract owes is decided by the threshold
in force on the day its procurement started, kept as data; the standstill
counts working days with England's bank holidays; the HLO cannot countersign
a public contract before its award notice and standstill; every notice is
reminded once before its date; grants owe none."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning import services as cs
from commissioning.models import Commission
from demo import agreements_demo
from hubs.refusals import Refused
from notices.models import Reminder
from notices.reminders import reminders_sweep
from procurement import planning, services
from procurement.models import BankHoliday, CommissionKind, Notice, NoticeKind, NoticeThreshold

pytestmark = pytest.mark.django_db


def _contract(cast, p, *, started_on, grant="175000", vat="35000", awarded=False, **more):
    """A contract for services; by default £175,000 and £35,000 VAT: £210,000,
    between the two sub-central thresholds."""
    c = p._open("Strings research", amount=Decimal(grant))
    p.identify(c)
    c = Commission.objects.get(pk=c.pk)
    record = services.procurement_record(
        commission=c,
        user=cast.officer,
        kind=CommissionKind.CONTRACT,
        route_taken="open_tender",
        procurement_reference="KM-2026-01",
        started_on=started_on,
        vat_amount=Decimal(vat),
        **more,
    )
    if awarded:
        p.award(c)  # to the plan's partner, with its agreement drafted
    return Commission.objects.get(pk=c.pk), record


def _kinds(record) -> set[str]:
    return set(Notice.objects.filter(procurement=record).values_list("kind", flat=True))


@pytest.fixture
def kent(build, pipeline):
    cast = build("kent")
    return cast, pipeline(cast)


def test_the_thresholds_are_data_with_their_dates():
    sub_central = NoticeThreshold.objects.filter(regime="sub_central").order_by("effective_from")
    assert [(t.amount, t.effective_to) for t in sub_central] == [
        (Decimal("214904"), date(2025, 12, 31)),
        (Decimal("207720"), None),
    ]
    assert NoticeThreshold.objects.get(regime="light_touch").amount == Decimal("663540")
    assert NoticeThreshold.objects.get(regime="notifiable_below").amount == Decimal("30000")


@pytest.mark.parametrize(
    ("started_on", "expected"),
    [
        # £210,000 with VAT: below £214,904 on 31 December 2025, a notifiable
        # below-threshold contract (advertised: its tender notice).
        (date(2025, 12, 31), {NoticeKind.BELOW_THRESHOLD_TENDER, NoticeKind.CONTRACT_DETAILS}),
        # The same contract started on 1 January 2026 is above £207,720.
        (date(2026, 1, 1), {NoticeKind.CONTRACT_AWARD, NoticeKind.CONTRACT_DETAILS}),
    ],
)
def test_the_threshold_in_force_on_the_start_date_decides_the_notices(kent, started_on, expected):
    cast, p = kent
    _, record = _contract(
        cast, p, started_on=started_on, advertised_on=started_on + timedelta(days=3)
    )
    assert _kinds(record) == expected


def test_vat_is_counted_and_the_light_touch_threshold_is_its_own(kent):
    cast, p = kent
    _, without_vat = _contract(cast, p, started_on=date(2026, 2, 1), vat="0")
    assert NoticeKind.CONTRACT_AWARD not in _kinds(without_vat)  # £175,000 is below
    _, light = _contract(cast, p, started_on=date(2026, 2, 1), light_touch=True)
    assert NoticeKind.CONTRACT_AWARD not in _kinds(light)  # below £663,540


def test_below_thirty_thousand_and_grants_owe_nothing(kent):
    cast, p = kent
    _, small = _contract(cast, p, started_on=date(2026, 2, 1), grant="24000", vat="4800")
    assert _kinds(small) == set()  # £28,800 with VAT
    c = p._open("Grant", amount=Decimal(900000))
    grant = services.procurement_record(
        commission=c, user=cast.officer, kind=CommissionKind.GRANT, started_on=date(2026, 2, 1)
    )
    assert planning.notice_plan(grant) == []


def test_working_days_skip_weekends_and_bank_holidays():
    # Published on Thursday 24 December 2026: Christmas Day (Friday) and the
    # Boxing Day substitute (Monday 28th) are not working days, nor New Year's Day.
    assert BankHoliday.objects.filter(date=date(2026, 12, 28)).exists()
    assert planning.working_days_after(date(2026, 12, 24), 8) == date(2027, 1, 8)
    assert planning.working_days_after(date(2026, 3, 2), 8) == date(2026, 3, 12)


def test_a_public_contract_waits_for_its_award_notice_and_standstill(kent):
    cast, p = kent
    c, record = _contract(cast, p, started_on=date(2026, 1, 5), awarded=True)
    award_notice = Notice.objects.get(procurement=record, kind=NoticeKind.CONTRACT_AWARD)
    assert award_notice.due_by == timezone.localdate()
    details = Notice.objects.get(procurement=record, kind=NoticeKind.CONTRACT_DETAILS)
    assert details.due_by is None  # its clock starts when the contract is signed
    p.to_approval(c)
    p.approve(Commission.objects.get(pk=c.pk))
    c = Commission.objects.get(pk=c.pk)
    assert c.status == "issued"
    agreements_demo.partner_signs(cast, c)
    with pytest.raises(Refused) as unpublished:
        agreements_demo.countersigns(cast, c)
    assert unpublished.value.rule == "award_notice_unpublished"

    services.notice_publish(notice=award_notice, user=cast.officer, notice_id="004512-2026")
    with pytest.raises(Refused) as running:
        agreements_demo.countersigns(cast, c)
    assert running.value.rule == "standstill_running"
    ends = planning.working_days_after(timezone.localdate(), 8)
    assert f"until the end of {ends:%-d %B %Y}" in str(running.value)

    Notice.objects.filter(pk=award_notice.pk).update(
        published_at=timezone.now() - timedelta(days=20)
    )
    agreements_demo.countersigns(cast, c)
    assert Commission.objects.get(pk=c.pk).status == "monitoring"
    details.refresh_from_db()
    assert details.due_by == timezone.localdate() + timedelta(days=30)


def test_a_termination_notice_follows_any_end(kent):
    cast, p = kent
    c, record = _contract(cast, p, started_on=date(2026, 1, 5), awarded=True)
    assert NoticeKind.CONTRACT_TERMINATION not in _kinds(record)
    cs.commission_withdraw(commission=c, user=cast.officer, reason="Not needed.")
    assert NoticeKind.CONTRACT_TERMINATION not in _kinds(record)  # never entered into
    c2, record2 = _contract(cast, p, started_on=date(2026, 1, 5), awarded=True)
    from commissioning.models import TransitionLog

    TransitionLog.objects.create(
        hub_id=c2.hub_id,
        commission=c2,
        action="end_partnership",
        from_stage="decommission_approved",
        to_stage="decommissioned",
    )
    services.notices_sync(record2)
    ended = Notice.objects.get(procurement=record2, kind=NoticeKind.CONTRACT_TERMINATION)
    assert ended.due_by == timezone.localdate() + timedelta(days=30)


def test_a_notice_is_reminded_once_before_its_date_and_when_overdue(kent):
    cast, p = kent
    _, record = _contract(cast, p, started_on=date(2026, 1, 5), awarded=True)
    notice = Notice.objects.get(procurement=record, kind=NoticeKind.CONTRACT_AWARD)
    today = notice.due_by
    kinds = ["procurement_notice_due", "procurement_notice_overdue"]
    assert reminders_sweep(today=today - timedelta(days=3), kinds=kinds) == 1
    assert reminders_sweep(today=today - timedelta(days=2), kinds=kinds) == 0
    assert reminders_sweep(today=today + timedelta(days=1), kinds=kinds) == 1
    assert reminders_sweep(today=today + timedelta(days=2), kinds=kinds) == 0
    sent = Reminder.objects.filter(kind__in=kinds, object_key=f"notice:{notice.pk}")
    assert sent.count() == 2
    services.notice_publish(notice=notice, user=cast.officer, notice_id="004600-2026")
    assert reminders_sweep(today=today + timedelta(days=8), kinds=kinds) == 0


def test_marking_published_asks_its_id_and_happens_once(kent):
    cast, p = kent
    _, record = _contract(cast, p, started_on=date(2026, 1, 5), awarded=True)
    notice = Notice.objects.get(procurement=record, kind=NoticeKind.CONTRACT_AWARD)
    with pytest.raises(Refused) as blank:
        services.notice_publish(notice=notice, user=cast.officer, notice_id="  ")
    assert blank.value.field == "notice_id"
    with pytest.raises(Refused) as board:
        services.notice_publish(notice=notice, user=cast.board[0], notice_id="1")
    assert board.value.rule == "officer_only"
    services.notice_publish(notice=notice, user=cast.officer, notice_id="004700-2026")
    with pytest.raises(Refused) as again:
        services.notice_publish(notice=notice, user=cast.officer, notice_id="004701-2026")
    assert again.value.rule == "already_published"
    details = Notice.objects.get(procurement=record, kind=NoticeKind.CONTRACT_DETAILS)
    with pytest.raises(Refused) as early:
        services.notice_publish(notice=details, user=cast.officer, notice_id="004702-2026")
    assert early.value.rule == "notice_not_yet_due"


def test_a_published_notice_stays_when_the_value_falls(kent):
    cast, p = kent
    _, record = _contract(cast, p, started_on=date(2026, 1, 5), awarded=True)
    notice = Notice.objects.get(procurement=record, kind=NoticeKind.CONTRACT_AWARD)
    services.notice_publish(notice=notice, user=cast.officer, notice_id="004800-2026")
    services.procurement_record(
        commission=record.commission, user=cast.officer, vat_amount=Decimal(4000)
    )
    services.procurement_value_change(
        procurement=record,
        user=cast.officer,
        value=Decimal(20000),
        effective_on=timezone.localdate(),
        reason="Scope reduced.",
    )
    assert _kinds(record) == {NoticeKind.CONTRACT_AWARD}  # details no longer owed
