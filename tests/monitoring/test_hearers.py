"""Who hears complaints at each level, as a list on each policy version: the
complaint pages, the partnership page and the refusals name the hub's own
hearers (Leicestershire's Service Manager and Chair of the Executive
Board); a policy without rows says "the service manager" and "the chair"
as before; a new version copies them; the admin is the hub admin's own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubs.models import HubPolicy, Role
from hubs.services import membership_grant, policy_revise
from monitoring import services as svc
from monitoring.hearers import ComplaintHearer, complaint_hearers_words, hearers_of
from tests.auth_helpers import sign_in
from tests.hubs.test_admin import admin_url, make_hub, make_policy, make_user

pytestmark = pytest.mark.django_db


def _name_leics_hearers(policy: HubPolicy) -> None:
    ComplaintHearer.objects.update_or_create(
        policy=policy, level="first", defaults={"title": "Service Manager", "name": "Sam Patel"}
    )
    ComplaintHearer.objects.update_or_create(
        policy=policy, level="escalated", defaults={"title": "Chair of the Executive Board"}
    )


def _log(cast, c, n: int = 1):
    return [
        svc.complaint_log(
            commission=c,
            user=cast.officer,
            kind="complaint",
            raised_by=f"A parent {i}",
            received_on=timezone.localdate(),
            summary="Sessions were cancelled without notice.",
        )
        for i in range(n)
    ]


def test_the_complaint_pages_name_the_hubs_own_hearers(client, live):
    cast, c = live("leics")
    _name_leics_hearers(c.policy)
    (complaint,) = _log(cast, c)
    sign_in(client, cast.officer)
    listing = client.get(reverse("monitoring:complaints", args=["leics"])).content.decode()
    assert (
        "made in writing to Sam Patel, the Service Manager, escalated to the Chair of the "
        "Executive Board if not resolved" in listing
    )
    assert "With Sam Patel, the Service Manager" in listing
    page_url = reverse("monitoring:complaint", args=["leics", complaint.pk])
    page = client.get(page_url).content.decode()
    assert "Escalate to the Chair of the Executive Board" in page
    response = client.post(page_url, {"action": "escalate", "text": "Not resolved."}, follow=True)
    body = response.content.decode()
    assert "Escalated to the Chair of the Executive Board." in body
    assert "Escalated to the Chair of the Executive Board</dd>" in body
    with pytest.raises(svc.Refused) as refused:
        svc.complaint_escalate(complaint=complaint, user=cast.officer, reason="Again.")
    assert "'Escalated to the Chair of the Executive Board' already" in str(refused.value)
    partnership = reverse("monitoring:partnership", args=["leics", c.reference])
    assert (
        "Escalated to the Chair of the Executive Board" in client.get(partnership).content.decode()
    )


def test_a_policy_without_rows_says_what_it_said_before(client, live):
    cast, c = live("kent")
    ComplaintHearer.objects.filter(policy=c.policy).delete()
    (complaint,) = _log(cast, c)
    sign_in(client, cast.officer)
    listing = client.get(reverse("monitoring:complaints", args=["kent"])).content.decode()
    assert "made in writing to the service manager, escalated to the chair if not" in listing
    assert "With the service manager" in listing
    page = client.get(reverse("monitoring:complaint", args=["kent", complaint.pk])).content
    assert "Escalate to the chair" in page.decode()


def test_the_complaints_list_reads_the_hearers_once_however_many_complaints(client, live):
    cast, c = live("leics")
    _name_leics_hearers(c.policy)
    sign_in(client, cast.officer)
    url = reverse("monitoring:complaints", args=["leics"])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum(1 for q in queries.captured_queries if "SAVEPOINT" not in q["sql"])

    _log(cast, c, 2)
    few = count()
    _log(cast, c, 10)
    assert count() == few


def test_a_new_version_copies_the_hearers_and_words_say_them():
    first = make_policy(make_hub("Avon"))
    _name_leics_hearers(first)
    second = policy_revise(policy=HubPolicy.objects.get(pk=first.pk))
    assert hearers_of(second).escalated == "the Chair of the Executive Board"
    assert complaint_hearers_words(second) == [
        "Complaints are made in writing to Sam Patel, the Service Manager.",
        "A complaint not resolved is escalated to the Chair of the Executive Board.",
    ]
    new = policy_revise(policy=HubPolicy(hub=make_hub("Cleve")))
    assert sorted(ComplaintHearer.objects.filter(policy=new).values_list("title", flat=True)) == [
        "chair",
        "service manager",
    ]


def test_the_hub_admin_names_their_own_hearers_only(client, django_user_model):
    avon = make_hub("Avon")
    policy = make_policy(avon)
    brent = make_policy(make_hub("Brent"))
    user = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    sign_in(client, user)
    page = client.get(admin_url(ComplaintHearer, "add")).content.decode()
    assert f'value="{policy.pk}"' in page and f'value="{brent.pk}"' not in page
    data = {"policy": policy.pk, "level": "escalated", "title": "Chair of Trustees", "name": ""}
    assert client.post(admin_url(ComplaintHearer, "add"), data).status_code == 302
    again = client.post(admin_url(ComplaintHearer, "add"), data).content.decode()
    assert "already names who hears complaints at that level" in again
    assert hearers_of(HubPolicy.objects.get(pk=policy.pk)).escalated == "the Chair of Trustees"
    theirs = ComplaintHearer.objects.create(policy=brent, level="first", title="Head of Music")
    assert client.get(admin_url(ComplaintHearer, "change", theirs.pk)).status_code in (302, 404)
    assert (
        "Head of Music" not in client.get(admin_url(ComplaintHearer, "changelist")).content.decode()
    )


def test_an_escalated_complaint_tells_whoever_decides_it_in_the_policys_words(live):
    from notices.models import Notification

    cast, c = live("leics")
    _name_leics_hearers(c.policy)
    (complaint,) = _log(cast, c)
    svc.complaint_escalate(complaint=complaint, user=cast.officer, reason="Not resolved.")
    told = Notification.objects.filter(kind="complaint_escalated")
    assert {n.user for n in told} == {cast.chair}, "the complaint route names the chair"
    assert told.get().subject == (
        f"A complaint about {c.reference} is escalated to the Chair of the Executive Board"
    )
    assert told.get().url.endswith(f"/complaints/{complaint.pk}/")
