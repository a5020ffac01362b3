"""A named group's members are told what their group is asked to comment on.

Kent's award route (and its decommissioning route) can name the Lead Schools
Advisory Group at the comment step instead of the board. The dashboard's
comment to-dos follow the route's current comment step: the group's members
see them whatever their role (here an approver and one board member), a board
member outside the group sees none and is refused if they try; the dashboard
costs the same queries for 2 or 12 drafts waiting; and the hub admin cannot put
someone in the group who has no role that reads drafts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as ag
from agreements.models import Agreement, BoardComment
from hubs.models import AdvisoryGroup, Role, RouteStep
from hubs.refusals import Refused
from hubs.services import membership_grant
from monitoring import services as svc
from monitoring.models import ReviewComment
from tests.auth_helpers import sign_in
from tests.monitoring.conftest import officer_of

pytestmark = pytest.mark.django_db

LSAG = "Lead Schools Advisory Group"
ON_DRAFT = f"Comment as the {LSAG} on the draft agreement"
ON_RECOMMENDATION = f"Comment as the {LSAG} on the recommendation to decommission"


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _dashboard(client, cast) -> str:
    response = client.get(reverse("commissioning:dashboard", args=[cast.hub.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _group_comments(cast, kind: str) -> AdvisoryGroup:
    """The route's comment step names the group: its approver and board1."""
    group = AdvisoryGroup.objects.get(hub=cast.hub, name=LSAG)
    group.members.set([cast.board[0], cast.approver])
    steps = RouteStep.objects.filter(route__policy__hub=cast.hub, route__kind=kind, kind="comment")
    assert steps.update(body="group", group=group, name="")
    return group


def _drafts_with_commenters(cast, pipeline, n: int) -> list:
    p = pipeline(cast)
    made = []
    for i in range(n):
        c = p._open(f"Lead schools {i}")
        for step in (p.identify, p.award, p._to_board):
            step(c)
        made.append(c)
    return made


def _comment_url(c) -> str:
    return reverse("agreements:comment", args=[c.hub.slug, c.reference, 1])


# ── drafts ──────────────────────────────────────────────────────────────────


def test_the_groups_members_are_told_of_the_draft_and_an_outsider_is_not(build, pipeline):
    cast = build("kent")
    _group_comments(cast, "award")
    (c,) = _drafts_with_commenters(cast, pipeline, 1)
    to_draft = reverse("agreements:detail", args=["kent", c.reference, 1])

    approver = _client(cast.approver)
    assert f'<a href="{to_draft}">{ON_DRAFT}' in _dashboard(approver, cast)
    assert f'<a href="{to_draft}">{ON_DRAFT}' in _dashboard(_client(cast.board[0]), cast)
    assert approver.get(to_draft).status_code == 200
    response = approver.post(_comment_url(c), {"body": "Name the lead schools.", "section_key": ""})
    assert response.status_code == 302
    assert BoardComment.objects.filter(author=cast.approver, body="Name the lead schools.").exists()

    # A board member outside the group: no to-do, and refused in the rule's words.
    outsider = _client(cast.board[1])
    page = _dashboard(outsider, cast)
    assert "Comment as the" not in page
    assert outsider.post(_comment_url(c), {"body": "Me too.", "section_key": ""}).status_code == 403
    agreement = Agreement.objects.get(commission=c, period_number=1)
    with pytest.raises(Refused, match=f"Only members of the {LSAG} can comment on this draft."):
        ag.board_comment_add(agreement=agreement, user=cast.board[1], body="Me too.")
    assert not BoardComment.objects.filter(author=cast.board[1]).exists()


def test_a_board_step_is_the_boards_to_do_not_the_groups(build, pipeline):
    """Kent's route as the demo writes it: the board comments, so the approver
    (in the group, not the board) has nothing to comment on."""
    cast = build("kent")
    AdvisoryGroup.objects.get(hub=cast.hub, name=LSAG).members.add(cast.approver)
    (c,) = _drafts_with_commenters(cast, pipeline, 1)
    to_draft = reverse("agreements:detail", args=["kent", c.reference, 1])
    page = _dashboard(_client(cast.board[1]), cast)
    assert f'<a href="{to_draft}">Comment as the board on the draft agreement' in page
    assert "Comment as the" not in _dashboard(_client(cast.approver), cast)


def test_the_dashboard_costs_the_same_queries_for_2_or_12_drafts_with_the_group(
    build, pipeline, django_assert_max_num_queries
):
    cast = build("kent")
    _group_comments(cast, "award")
    approver, outsider = _client(cast.approver), _client(cast.board[1])
    url = reverse("commissioning:dashboard", args=["kent"])

    def count(client) -> int:
        client.get(url)  # the first request after signing in also settles the session
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(25):
            page = client.get(url).content.decode()
        return len(queries), page.count(ON_DRAFT)

    _drafts_with_commenters(cast, pipeline, 2)
    few, outsider_few = count(approver), count(outsider)
    _drafts_with_commenters(cast, pipeline, 10)
    many, outsider_many = count(approver), count(outsider)
    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0], f"{few[0]} queries with 2 drafts waiting, {many[0]} with 12"
    assert (outsider_few[1], outsider_many[1]) == (0, 0)
    assert outsider_few[0] == outsider_many[0]
    print(f"\napprover's dashboard: {few[0]} queries for 2 or 12 drafts with the group")


# ── a recommendation to decommission ────────────────────────────────────────


def test_the_groups_members_are_told_of_the_recommendation(live):
    cast, c = live("kent")
    _group_comments(cast, "decommission")
    review = svc.review_open(
        commission=c, user=officer_of(cast, c), trigger="targets", findings="Enrolment is 45."
    )
    svc.review_recommend(
        review=review, user=officer_of(cast, c), grounds="unmet_objectives", reason="Missed."
    )
    svc.review_move(review=review, user=officer_of(cast, c), action="send_decommission_to_board")
    to_recommendation = reverse("monitoring:recommendation", args=["kent", c.reference])
    comment_url = reverse("monitoring:review_comment", args=["kent", review.pk])

    approver = _client(cast.approver)
    assert f'<a href="{to_recommendation}">{ON_RECOMMENDATION}' in _dashboard(approver, cast)
    assert approver.get(to_recommendation).status_code == 302  # on to the review's page
    assert approver.post(comment_url, {"body": "Keep the schools' places."}).status_code == 302
    assert ReviewComment.objects.filter(author=cast.approver).exists()

    outsider = _client(cast.board[1])
    assert "Comment as the" not in _dashboard(outsider, cast)
    assert outsider.post(comment_url, {"body": "Me too."}).status_code == 403
    with pytest.raises(
        Refused, match=f"Only members of the {LSAG} can comment on a recommendation"
    ):
        svc.review_comment_add(review=review, user=cast.board[1], body="Me too.")


# ── the hub admin's group page ──────────────────────────────────────────────


def test_the_admin_refuses_a_member_with_no_role_that_reads_drafts(build):
    cast = build("kent")
    group = AdvisoryGroup.objects.get(hub=cast.hub, name=LSAG)
    contact = next(iter(cast.contacts.values()))  # a partner contact only
    assert not contact.memberships.exclude(role=Role.PARTNER_CONTACT).exists()
    client = _client(cast.admin)
    url = reverse("admin:hubs_advisorygroup_change", args=[group.pk])
    data = {"hub": cast.hub.pk, "name": LSAG, "members": [cast.board[0].pk, contact.pk]}

    response = client.post(url, data)
    assert response.status_code == 200
    name = contact.get_full_name() or contact.email
    assert response.context["adminform"].form.errors["members"] == [
        f"{name} has no role in {cast.hub.name} that can read drafts: give them one "
        "(Memberships) first."
    ]
    assert list(group.members.all()) == [cast.board[0]]

    # Once they have a role that reads drafts, they may join.
    membership_grant(hub=cast.hub, user=contact, role=Role.BOARD_MEMBER)
    assert client.post(url, data).status_code == 302
    assert set(group.members.all()) == {cast.board[0], contact}
