"""The reporting a policy asks for is said from its schedules (the rows the
hub admin keeps), on the public policy page and on each partnership's page,
never from the cadence a hub's first policy was started with."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hubs.models import HubPolicy
from monitoring.report_schedules import ReportSchedule, schedule_said, schedules_words
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def test_the_policy_page_says_the_schedules_rows(build):
    cast = build("leics")
    policy = cast.hub.policies.get()
    ReportSchedule.objects.filter(policy=policy).update(every_months=4, report_kind="progress")
    policy = cast.hub.policies.get()  # no cached schedules
    page = Client().get(reverse("hubs:policy", args=[cast.hub.slug])).content.decode()
    [line] = schedules_words(policy)
    assert "a progress report every 4 months" in line
    assert line in page
    assert policy.get_reporting_cadence_display() not in page  # the starter is not the schedule


def test_a_partnership_page_says_the_schedule_it_follows(live, client):
    cast, commission = live("herts")
    ReportSchedule.objects.filter(policy=commission.policy).update(every_months=2)
    sign_in(client, cast.officer)
    url = reverse("monitoring:partnership", args=[cast.hub.slug, commission.reference])
    page = client.get(url).content.decode()
    agreement = commission.agreements.get()
    said = schedule_said(HubPolicy.objects.get(pk=commission.policy_id), agreement.partnership_type)
    assert "every 2 months" in said
    assert f"Reporting: {said}" in page
