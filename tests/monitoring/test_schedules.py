"""Report schedules as a list on each policy version: the hub's own terms,
intervals, final-evaluation lag, per-type schedules and periodic reviews
change what a signed partnership owes; a new version copies them; a first
policy starts from its cadence; the admin is scoped to the hub admin's own
newest policy. The migration that gives every policy today's schedule runs
both ways in tests/test_migrations_both_ways.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from hubs.models import HubPolicy, ReportingCadence, Role
from hubs.services import membership_grant, policy_revise
from monitoring import schedule
from monitoring.models import Report, ReportKind
from monitoring.report_schedules import (
    ReportSchedule,
    ScheduleTerm,
    schedules_load,
    schedules_of,
    schedules_start,
    schedules_words,
)
from tests.auth_helpers import sign_in
from tests.hubs.test_admin import admin_url, make_hub, make_policy, make_user

pytestmark = pytest.mark.django_db

THREE_TERMS = [("Michaelmas", 12, 15), ("Lent", 3, 25), ("Trinity", 7, 10)]


def termly(policy: HubPolicy, terms=THREE_TERMS, **fields) -> ReportSchedule:
    row = ReportSchedule.objects.create(
        policy=policy, report_kind=ReportKind.TERMLY_SURVEY, every_months=None, **fields
    )
    ScheduleTerm.objects.bulk_create(
        ScheduleTerm(schedule=row, name=n, due_month=m, due_day=d, position=i)
        for i, (n, m, d) in enumerate(terms)
    )
    policy._schedules_cache = None
    return row


def fresh(policy: HubPolicy) -> HubPolicy:
    return HubPolicy.objects.get(pk=policy.pk)


# ── what a schedule plans ───────────────────────────────────────────────────


def test_a_hub_with_three_terms_of_its_own_gets_three_surveys_a_year_on_its_dates():
    policy = make_policy(make_hub("Avon"))
    termly(policy)
    planned = schedule.plan(fresh(policy), date(2025, 9, 1), date(2026, 8, 31))
    assert [(p.title, p.due_on) for p in planned] == [
        ("Michaelmas term survey 2025/26", date(2025, 12, 15)),
        ("Lent term survey 2025/26", date(2026, 3, 25)),
        ("Trinity term survey 2025/26", date(2026, 7, 10)),
        ("Final evaluation", date(2026, 8, 31) + timedelta(days=28)),
    ]


def test_a_two_month_interval_and_a_sixty_day_final_evaluation():
    policy = make_policy(make_hub("Avon"))
    ReportSchedule.objects.create(
        policy=policy, report_kind=ReportKind.PROGRESS, every_months=2,
        final_evaluation_after_days=60,
    )  # fmt: skip
    planned = schedule.plan(fresh(policy), date(2026, 1, 1), date(2026, 12, 31))
    dues = [p.due_on for p in planned if p.kind == ReportKind.PROGRESS]
    assert dues == [date(2026, m, 1) for m in (3, 5, 7, 9, 11)]
    assert planned[-1].due_on == date(2026, 12, 31) + timedelta(days=60)


def test_a_partnership_type_with_its_own_schedule_follows_it_and_others_the_general_one():
    policy = make_policy(make_hub("Avon"))
    ReportSchedule.objects.create(policy=policy, report_kind=ReportKind.PROGRESS, every_months=3)
    ReportSchedule.objects.create(
        policy=policy, partnership_type="strategic", report_kind=ReportKind.PERFORMANCE,
        every_months=6,
    )  # fmt: skip
    policy = fresh(policy)
    year = (date(2026, 1, 1), date(2026, 12, 31))
    strategic = [p.kind for p in schedule.plan(policy, *year, "strategic")]
    delivery = [p.kind for p in schedule.plan(policy, *year, "delivery")]
    assert strategic == [ReportKind.PERFORMANCE, ReportKind.FINAL_EVALUATION]
    assert delivery == [ReportKind.PROGRESS] * 3 + [ReportKind.FINAL_EVALUATION]


def test_a_periodic_partnership_review_only_where_agreements_have_no_term():
    open_ended = make_policy(make_hub("Avon"))
    termed = make_policy(make_hub("Brent"), agreement_term_months=12)
    for policy in (open_ended, termed):
        ReportSchedule.objects.create(
            policy=policy, report_kind=ReportKind.PROGRESS, every_months=6, review_every_months=4
        )
    year = (date(2026, 1, 1), date(2026, 12, 31))
    reviews = [p for p in schedule.plan(fresh(open_ended), *year) if p.kind == "partnership_review"]
    assert [(p.title, p.due_on) for p in reviews] == [
        ("Partnership review 1", date(2026, 5, 1)),
        ("Partnership review 2", date(2026, 9, 1)),
    ]
    assert not [p for p in schedule.plan(fresh(termed), *year) if p.kind == "partnership_review"]


@pytest.mark.parametrize("cadence", ReportingCadence.values)
def test_a_policy_without_rows_plans_exactly_what_its_cadence_meant(cadence):
    """The standard schedules (a script's policy) and the rows the migration
    writes plan the same reports."""
    policy = make_policy(make_hub("Avon"), reporting_cadence=cadence)
    span = (date(2025, 9, 1), date(2027, 8, 31))
    without = schedule.plan(fresh(policy), *span)
    schedules_start(policy)  # what a first policy made by policy_revise starts with
    assert ReportSchedule.objects.filter(policy=policy).count() == 1
    assert schedule.plan(fresh(policy), *span) == without
    expected = {"progress": 3, "kpi": 3, "board": 6, "termly": None}[cadence]
    assert ReportSchedule.objects.get(policy=policy).every_months == expected


def test_signing_saves_the_reports_of_the_hubs_own_schedule(build, pipeline):
    """End to end: Hertfordshire asks for a report every two months and the
    final evaluation 60 days after the agreement ends."""
    cast = build("herts")
    policy = cast.hub.policies.get()
    ReportSchedule.objects.update_or_create(
        policy=policy, partnership_type="",
        defaults={"report_kind": ReportKind.PROGRESS, "every_months": 2,
                  "final_evaluation_after_days": 60},
    )  # fmt: skip
    flow = pipeline(cast)
    commission = flow._open("Inclusive ensembles")
    for step in (flow.identify, flow.award, flow.to_approval, flow.approve, flow.sign):
        step(commission)
    agreement = Agreement.objects.get(commission=commission, period_number=1)
    reports = list(Report.objects.filter(commission=commission).order_by("due_on"))
    progress = [r for r in reports if r.kind == ReportKind.PROGRESS]
    assert progress, "a progress report every two months"
    assert progress[0].due_on == schedule.add_months(agreement.starts_on, 2)
    assert all(
        b.due_on == schedule.add_months(agreement.starts_on, 2 * (n + 2))
        for n, b in enumerate(progress[1:])
    )
    assert reports[-1].kind == ReportKind.FINAL_EVALUATION
    assert reports[-1].due_on == agreement.ends_on + timedelta(days=60)


def test_planning_reads_the_schedules_in_the_same_queries_however_many_rows():
    few, many = make_policy(make_hub("Avon")), make_policy(make_hub("Brent"))
    termly(few, terms=THREE_TERMS[:1])
    termly(many, terms=[(f"Term {n}", 1 + n % 12, 1 + n) for n in range(12)])
    for n in range(8):
        ReportSchedule.objects.create(policy=many, partnership_type=f"type{n}", every_months=3)

    def count(policy) -> int:
        with CaptureQueriesContext(connection) as queries:
            schedule.plan(fresh(policy), date(2025, 9, 1), date(2027, 8, 31), "type3")
        return len(queries)

    assert count(few) == count(many) == 3  # the policy, its schedules, their terms
    policies = [fresh(few), fresh(many)]
    with CaptureQueriesContext(connection) as queries:
        schedules_load(policies)
        for policy in policies:
            schedule.plan(policy, date(2025, 9, 1), date(2027, 8, 31))
    assert len(queries) == 2, "two queries for every policy's schedules and terms"


# ── a new version, a first policy, the words ────────────────────────────────


def test_a_new_version_copies_its_predecessors_schedules_and_terms():
    first = make_policy(make_hub("Avon"))
    termly(first, final_evaluation_after_days=45)
    second = policy_revise(policy=fresh(first))
    copied = ReportSchedule.objects.get(policy=second)
    assert copied.final_evaluation_after_days == 45
    assert [t.name for t in copied.terms.all()] == ["Michaelmas", "Lent", "Trinity"]
    assert ScheduleTerm.objects.filter(schedule__policy=first).count() == 3, "the old one keeps"


def test_a_hubs_first_policy_starts_with_a_schedule_from_its_cadence():
    policy = policy_revise(
        policy=HubPolicy(hub=make_hub("Cleve"), reporting_cadence=ReportingCadence.TERMLY_SURVEYS)
    )
    row = ReportSchedule.objects.get(policy=policy)
    assert (row.every_months, row.report_kind) == (None, ReportKind.TERMLY_SURVEY)
    assert [(t.name, t.due_month, t.due_day) for t in row.terms.all()] == [
        ("Autumn", 12, 19),
        ("Spring", 4, 2),
        ("Summer", 7, 22),
    ]


def test_the_schedules_in_words_for_the_policy_page():
    policy = make_policy(make_hub("Avon"))
    termly(policy, final_evaluation_after_days=60, review_every_months=6)
    assert schedules_words(fresh(policy)) == [
        "Every partnership: a termly survey each term (Michaelmas by 15 December, Lent by "
        "25 March, Trinity by 10 July); the final evaluation 60 days after the agreement "
        "ends; a partnership review every 6 months where the agreement has no fixed term."
    ]
    standard = make_policy(make_hub("Brent"))
    assert schedules_words(standard) == [
        "Every partnership: a progress report every 3 months; the final evaluation 28 days "
        "after the agreement ends."
    ]


# ── the admin ────────────────────────────────────────────────────────────────


@pytest.fixture
def owner_client(client, django_user_model):
    avon = make_hub("Avon")
    make_policy(avon)
    user = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    sign_in(client, user)
    return client


def _terms(rows, total=None) -> dict:
    data = {
        "terms-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for i, (name, month, day) in enumerate(rows):
        data |= {
            f"terms-{i}-position": str(i),
            f"terms-{i}-name": name,
            f"terms-{i}-due_day": str(day),
            f"terms-{i}-due_month": str(month),
        }
    return data


def test_the_hub_admin_sets_their_own_terms_and_not_another_hubs(owner_client):
    avon = HubPolicy.objects.get(hub__slug="avon")
    brent = make_policy(make_hub("Brent"))
    page = owner_client.get(admin_url(ReportSchedule, "add")).content.decode()
    assert f'value="{avon.pk}"' in page and f'value="{brent.pk}"' not in page
    base = {
        "policy": avon.pk,
        "partnership_type": "",
        "report_kind": "termly_survey",
        "every_months": "",
        "final_evaluation_after_days": "28",
        "review_every_months": "",
    }
    response = owner_client.post(admin_url(ReportSchedule, "add"), base | _terms([]))
    assert "Give the months between reports, or the terms" in response.content.decode()
    bad = base | {"partnership_type": "associate"} | _terms(THREE_TERMS)
    response = owner_client.post(admin_url(ReportSchedule, "add"), bad)
    assert "is not one of this policy&#x27;s partnership types" in response.content.decode()
    response = owner_client.post(
        admin_url(ReportSchedule, "add"), base | _terms([("Spring", 2, 30)])
    )
    assert "That day is not in that month every year" in response.content.decode()
    response = owner_client.post(admin_url(ReportSchedule, "add"), base | _terms(THREE_TERMS))
    assert response.status_code == 302, response.content.decode()[:3000]
    said = schedules_of(fresh(avon))
    assert [t.name for t in said[0].terms] == ["Michaelmas", "Lent", "Trinity"]

    other = ReportSchedule.objects.create(policy=brent, every_months=3)
    assert owner_client.get(admin_url(ReportSchedule, "change", other.pk)).status_code in (302, 404)
    listing = owner_client.get(admin_url(ReportSchedule, "changelist")).content.decode()
    assert "Michaelmas" in listing and str(brent) not in listing


def test_an_older_versions_schedule_is_the_record(owner_client):
    first = HubPolicy.objects.get(hub__slug="avon")
    row = ReportSchedule.objects.create(policy=first, every_months=3)
    policy_revise(policy=fresh(first))
    data = {"policy": first.pk, "report_kind": "progress", "every_months": "1"}
    data |= {"final_evaluation_after_days": "28"} | _terms([])
    owner_client.post(admin_url(ReportSchedule, "change", row.pk), data)
    row.refresh_from_db()
    assert row.every_months == 3


# ── the migration, both ways ─────────────────────────────────────────────────


def test_a_types_own_schedule_in_words():
    policy = make_policy(make_hub("Avon"))
    ReportSchedule.objects.create(policy=policy, every_months=3)
    ReportSchedule.objects.create(
        policy=policy, partnership_type="strategic", report_kind=ReportKind.PERFORMANCE,
        every_months=6,
    )  # fmt: skip
    assert schedules_words(fresh(policy)) == [
        "Every partnership without a schedule of its type: a progress report every 3 months; "
        "the final evaluation 28 days after the agreement ends.",
        "Strategic partners: a performance report for the board every 6 months; the final "
        "evaluation 28 days after the agreement ends.",
    ]
