"""The board's comments on a recommendation to decommission (Hertfordshire:
required, 14 days), on the review's page, with the officer's response, as on
drafts: who may comment and respond (refused in words), the window closing
early once every member has commented, a form sent twice making one comment,
who sees the page (another hub 404, a partner never), the dashboard's links,
and a page whose queries do not grow with the comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.models import Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from monitoring import services as svc
from monitoring.models import ReviewComment
from notices.models import Notification
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

BOARD = "Hertfordshire Music Hub board"
NOT_PARTNER = {"partner_contact": 404, "other_partner": 404}

# url name: (method, expected status per persona), in BLMK (Luton's partnership,
# its recommendation with the board). BLMK's decommissioning route asks no one
# to comment, so even its board is refused: the comment is for whoever the
# route's comment step names (decommission_commenters), as Hertfordshire's
# tests above show.
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "monitoring:recommendation": ("get", members(302, other_area_lead=404, **NOT_PARTNER)),
    "monitoring:review_comment": ("post", members(403, other_area_lead=404, **NOT_PARTNER)),
    "monitoring:review_respond": (
        "post",
        members(
            302,
            approver=403,
            board_member=403,
            hub_admin=403,
            other_area_lead=404,
            **NOT_PARTNER,
        ),
    ),
}


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _recommended(cast, c):
    review = svc.review_open(
        commission=c,
        user=officer_of(cast, c),
        trigger="targets",
        findings="Enrolment is 45 against a target of 120.",
    )
    return svc.review_recommend(
        review=review,
        user=officer_of(cast, c),
        grounds="unmet_objectives",
        reason="Targets missed for two terms despite an action plan.",
    )


@pytest.fixture
def herts(live):
    """Hertfordshire's live partnership, recommended for decommissioning and
    sent to its board (two members) for comment."""
    cast, c = live("herts")
    review = _recommended(cast, c)
    svc.review_move(review=review, user=cast.officer, action="send_decommission_to_board")
    review.refresh_from_db()
    return cast, review


def _fresh(review):
    review.refresh_from_db()
    review.commission.refresh_from_db()
    return review


def _page(client, review) -> str:
    url = reverse("monitoring:review", args=[review.hub.slug, review.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _comment_url(review) -> str:
    return reverse("monitoring:review_comment", args=[review.hub.slug, review.pk])


def _respond_url(comment) -> str:
    return reverse(
        "monitoring:review_respond", args=[comment.hub.slug, comment.review_id, comment.pk]
    )


# ── the service ─────────────────────────────────────────────────────────────


def test_a_board_member_comments_and_the_officers_are_told(herts):
    cast, review = herts
    comment = svc.review_comment_add(
        review=review, user=cast.board[0], body="  Has the partner seen the action plan?  "
    )
    assert comment.body == "Has the partner seen the action plan?"
    assert (comment.review, comment.commission, comment.author) == (
        review,
        review.commission,
        cast.board[0],
    )
    told = Notification.objects.get(user=cast.officer, kind="review_comment")
    assert "Bea Board commented on the recommendation to decommission" in told.subject
    assert told.url == reverse("monitoring:review", args=["herts", review.pk])
    # One of two: the window stays open for the other member.
    assert _fresh(review).commission.board_comment_closes_at > timezone.now()


def test_the_window_closes_early_once_every_member_has_commented(herts):
    cast, review = herts
    svc.review_comment_add(review=review, user=cast.board[0], body="Agree with the officer.")
    with pytest.raises(Refused) as info:
        svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    assert info.value.rule == "comment_window_open"
    assert "or once every member has commented" in info.value.message

    svc.review_comment_add(review=review, user=cast.board[1], body="Agreed, reluctantly.")
    c = _fresh(review).commission
    assert c.board_comment_closes_at <= timezone.now()
    assert c.status == Stage.DECOMMISSION_BOARD_COMMENT  # the officer sends it on
    told = Notification.objects.filter(user=cast.officer, kind="review_comment").latest("pk")
    assert "every member has commented, so it can go for decision" in told.subject
    svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    assert _fresh(review).commission.status == Stage.DECOMMISSION_DECISION


def test_the_officer_responds_once_and_the_author_is_told(herts):
    cast, review = herts
    comment = svc.review_comment_add(review=review, user=cast.board[0], body="Why now?")
    svc.review_comment_respond(
        comment=comment, user=cast.officer, response="Two terms of missed targets."
    )
    comment.refresh_from_db()
    assert (comment.response, comment.responded_by) == (
        "Two terms of missed targets.",
        cast.officer,
    )
    told = Notification.objects.get(user=cast.board[0], kind="review_comment_response")
    assert "the officer responded to your comment" in told.subject
    # The same response sent again is the same response; a different one is refused.
    again = svc.review_comment_respond(
        comment=comment, user=cast.officer, response="Two terms of missed targets."
    )
    assert again.responded_at == comment.responded_at
    with pytest.raises(Refused) as info:
        svc.review_comment_respond(comment=comment, user=cast.officer, response="Changed.")
    assert info.value.rule == "already_responded"
    assert "a response is kept as it was given" in info.value.message
    told = Notification.objects.filter(user=cast.board[0], kind="review_comment_response")
    assert told.count() == 1


@pytest.mark.parametrize(
    ("who", "body", "rule", "words", "field"),
    [
        ("officer", "x", "board_only", f"Only members of the {BOARD} can comment", None),
        ("approver", "x", "board_only", f"Only members of the {BOARD} can comment", None),
        ("board", "   ", "comment_required", "Write your comment.", "body"),
    ],
)
def test_who_may_comment_and_what_they_must_write(herts, who, body, rule, words, field):
    cast, review = herts
    user = cast.board[0] if who == "board" else getattr(cast, who)
    with pytest.raises(Refused) as info:
        svc.review_comment_add(review=review, user=user, body=body)
    assert (info.value.rule, info.value.field) == (rule, field)
    assert words in info.value.message
    assert not ReviewComment.objects.exists()


def test_the_board_comments_only_while_the_recommendation_is_with_it(live):
    cast, c = live("herts")
    review = _recommended(cast, c)
    with pytest.raises(Refused) as info:
        svc.review_comment_add(review=review, user=cast.board[0], body="Early.")
    assert info.value.rule == "not_with_board"
    assert "once the officer has sent the recommendation to it" in info.value.message

    svc.review_move(review=review, user=cast.officer, action="send_decommission_to_board")
    Commission.objects.filter(pk=c.pk).update(
        board_comment_closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Refused) as info:
        svc.review_comment_add(review=_fresh(review), user=cast.board[0], body="Late.")
    assert info.value.rule == "comment_window_closed"
    assert f"The {BOARD}'s comment window closed on" in info.value.message

    svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    with pytest.raises(Refused) as info:
        svc.review_comment_add(review=_fresh(review), user=cast.board[0], body="Later.")
    assert info.value.rule == "comments_closed"
    assert "Decommissioning: awaiting decision" in info.value.message


def test_only_an_officer_responds_and_says_something(herts):
    cast, review = herts
    comment = svc.review_comment_add(review=review, user=cast.board[0], body="Why now?")
    with pytest.raises(Refused) as info:
        svc.review_comment_respond(comment=comment, user=cast.board[1], response="Because.")
    assert info.value.rule == "officer_only"
    assert "Only HLO staff can respond to the board" in info.value.message
    with pytest.raises(Refused) as info:
        svc.review_comment_respond(comment=comment, user=cast.officer, response=" ")
    assert (info.value.rule, info.value.field) == ("response_required", "response")
    assert info.value.message == "Write your response."


def test_a_comment_form_sent_twice_makes_one_comment(herts):
    cast, review = herts
    first = svc.review_comment_add(
        review=review, user=cast.board[0], body="Once.", form_key="k" * 32
    )
    again = svc.review_comment_add(
        review=review, user=cast.board[0], body="Once.", form_key="k" * 32
    )
    assert again.pk == first.pk
    assert ReviewComment.objects.count() == 1
    assert Notification.objects.filter(user=cast.officer, kind="review_comment").count() == 1


def test_commenters_are_the_hubs_active_board_members(herts):
    cast, review = herts
    commenters = set(svc.decommission_commenters(review.commission))
    assert commenters == set(cast.board)
    cast.board[1].is_active = False
    cast.board[1].save()
    # The one active member is everyone: their comment closes the window.
    svc.review_comment_add(review=review, user=cast.board[0], body="Agree.")
    assert _fresh(review).commission.board_comment_closes_at <= timezone.now()


# ── the page ────────────────────────────────────────────────────────────────


def test_a_board_member_comments_on_the_review_page(herts):
    cast, review = herts
    client = _client(cast.board[0])
    page = _page(client, review)
    assert f"Comment as the {BOARD}" in page
    closes = timezone.localtime(review.commission.board_comment_closes_at)
    when = f'datetime="{closes.isoformat(timespec="minutes")}">{closes:%-d %B %Y}, {closes:%H:%M}'
    assert f'The comment window closes on <strong><time class="deadline" {when}' in page
    assert "0 of 2 members have commented." in page
    response = client.post(
        _comment_url(review), {"body": "The action plan was never agreed.", "form_key": "a1"}
    )
    assert response.status_code == 302
    page = _page(client, review)
    assert "The action plan was never agreed." in page
    assert "1 of 2 members have commented." in page
    assert "Respond to" not in page  # the board does not answer itself


def test_a_blank_comment_is_refused_beside_its_field(herts):
    cast, review = herts
    response = _client(cast.board[0]).post(_comment_url(review), {"body": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#comment_body"' in page
    assert "Write your comment." in page


def test_a_comment_refused_because_the_window_closed_keeps_what_was_typed(herts):
    cast, review = herts
    client = _client(cast.board[0])
    Commission.objects.filter(pk=review.commission_id).update(
        board_comment_closes_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(_comment_url(review), {"body": "My long considered view."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "My long considered view." in page
    assert "comment window closed on" in page
    assert not ReviewComment.objects.exists()


def test_the_same_comment_form_sent_twice_from_the_page_makes_one(herts):
    cast, review = herts
    client = _client(cast.board[0])
    for _ in range(2):
        response = client.post(_comment_url(review), {"body": "Twice?", "form_key": "same"})
        assert response.status_code == 302
    assert ReviewComment.objects.filter(review=review).count() == 1


def test_the_officer_responds_from_the_page(herts):
    cast, review = herts
    comment = svc.review_comment_add(review=review, user=cast.board[0], body="Why now?")
    client = _client(cast.officer)
    page = _page(client, review)
    assert "Respond to Bea Board" in page
    assert f"Comment as the {BOARD}" not in page
    blank = client.post(_respond_url(comment), {"response": ""})
    assert blank.status_code == 400
    assert "Write your response." in blank.content.decode()
    assert 'href="#response-' in blank.content.decode()
    assert client.post(_respond_url(comment), {"response": "Two terms."}).status_code == 302
    page = _page(client, review)
    assert "Response from Olivia Officer" in page and "Two terms." in page
    assert "Respond to Bea Board" not in page


def test_a_board_member_cannot_respond_and_an_officer_cannot_comment(herts):
    cast, review = herts
    comment = svc.review_comment_add(review=review, user=cast.board[0], body="Why now?")
    board = _client(cast.board[1])
    assert board.post(_respond_url(comment), {"response": "Me too."}).status_code == 403
    assert _client(cast.officer).post(_comment_url(review), {"body": "x"}).status_code == 403
    comment.refresh_from_db()
    assert comment.response == "" and ReviewComment.objects.count() == 1


def test_the_decider_reads_the_comments_above_the_decision(herts):
    cast, review = herts
    svc.review_comment_add(review=review, user=cast.board[0], body="Support ending it.")
    comment = svc.review_comment_add(review=review, user=cast.board[1], body="Ask for a plan.")
    svc.review_comment_respond(comment=comment, user=cast.officer, response="Plan was refused.")
    svc.review_move(review=review, user=cast.officer, action="close_decommission_comment")
    page = _page(_client(cast.approver), review)
    assert "Every member has commented, so the comment window closed on" in page
    assert "2 of 2 members have commented." in page
    decision = page.index("Approve decommissioning")
    for words in ("Support ending it.", "Ask for a plan.", "Plan was refused."):
        assert page.index(words) < decision
    assert "Add your comment" not in page and "Respond to" not in page


def test_another_hubs_people_get_404(herts, build):
    _cast, review = herts
    kent = build("kent")
    for user in (kent.board[0], kent.officer):
        client = _client(user)
        url = reverse("monitoring:review", args=["herts", review.pk])
        assert client.get(url).status_code == 404
        assert client.post(_comment_url(review), {"body": "x"}).status_code == 404
    # Nor through their own hub's address.
    url = reverse("monitoring:review", args=["kent", review.pk])
    assert _client(kent.board[0]).get(url).status_code == 404
    assert not ReviewComment.objects.exists()


def test_a_partner_never_sees_the_boards_comments(herts):
    cast, review = herts
    comment = svc.review_comment_add(review=review, user=cast.board[0], body="Secret view.")
    contact = _client(contact_of(cast, review.commission))
    url = reverse("monitoring:review", args=["herts", review.pk])
    assert contact.get(url).status_code == 404
    assert contact.post(_comment_url(review), {"body": "x"}).status_code == 404
    assert contact.post(_respond_url(comment), {"response": "x"}).status_code == 404
    for page in (
        reverse("monitoring:partnership", args=["herts", review.commission.reference]),
        reverse("commissioning:dashboard", args=["herts"]),
    ):
        response = contact.get(page)
        assert response.status_code == 200
        assert "Secret view." not in response.content.decode()


def test_the_review_page_takes_the_same_queries_for_2_or_8_comments(
    herts, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast, review = herts
    users = get_user_model()
    for i in range(6):  # six more members, so eight can comment
        user = users.objects.create_user(f"member{i}@herts.test", f"member{i}@herts.test")
        membership_grant(hub=cast.hub, user=user, role=Role.BOARD_MEMBER)
        cast.board.append(user)
    client = _client(cast.officer)
    _page(client, review)  # the first request after signing in reads a little more

    def count() -> int:
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(15):
            _page(client, review)
        return len(queries)

    for member in cast.board[:2]:
        svc.review_comment_add(review=review, user=member, body=f"From {member.email}")
    few = count()
    for member in cast.board[2:]:
        c = svc.review_comment_add(review=review, user=member, body=f"From {member.email}")
        svc.review_comment_respond(comment=c, user=cast.officer, response="Noted.")
    many = count()
    assert few == many, f"{few} queries with 2 comments, {many} with 8"
    print(f"\nreview page: {few} queries with 2 comments, {many} with 8")


# ── the board member's dashboard ────────────────────────────────────────────


def test_the_dashboard_links_to_what_awaits_the_boards_comment(herts, pipeline):
    cast, review = herts
    p = pipeline(cast)
    draft = p._open("A draft with the board")
    for step in (p.identify, p.award, p._to_board):
        step(draft)
    agreement = Agreement.objects.get(commission=draft, period_number=1)
    client = _client(cast.board[0])
    url = reverse("commissioning:dashboard", args=["herts"])
    page = client.get(url).content.decode()
    to_review = reverse("monitoring:recommendation", args=["herts", review.commission.reference])
    agreement_url = reverse("agreements:detail", args=["herts", draft.reference, 1])
    assert (
        f'<a href="{to_review}">Comment as the board on the recommendation to decommission' in page
    )
    assert f'<a href="{agreement_url}">Comment as the board on the draft agreement' in page
    review_url = reverse("monitoring:review", args=["herts", review.pk])
    assert client.get(to_review)["Location"] == review_url

    # Once the windows close, nothing waits: the words go.
    Commission.objects.filter(pk__in=[review.commission_id, draft.pk]).update(
        board_comment_closes_at=timezone.now() - timedelta(minutes=1)
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        board_comment_closes_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(url).content.decode()
    assert "Comment as the board" not in page
    assert f'href="{to_review}"' not in page


def test_no_comment_as_the_board_without_a_recommendation_to_comment_on(live):
    """A commission with the board for decommissioning that no review led to
    (the demo makes some) has no page to comment on: nothing is offered."""
    from commissioning import services as cs

    cast, c = live("herts")
    cs.commission_recommend_decommission(
        commission=c, user=cast.officer, grounds="unmet_objectives", reason="Missed."
    )
    cs.commission_send_decommission_to_board(commission=c, user=cast.officer)
    page = _client(cast.board[0]).get(reverse("commissioning:dashboard", args=["herts"]))
    assert "Comment as the board" not in page.content.decode()


# ── who reaches the new addresses ───────────────────────────────────────────


@pytest.fixture
def world(build, live, django_user_model):
    herts = build("herts")
    blmk, c = live("blmk")
    review = _recommended(blmk, c)
    # BLMK's policy sends no recommendation to its board; the addresses are
    # checked on one that is with the board all the same.
    Commission.objects.filter(pk=c.pk).update(
        status=Stage.DECOMMISSION_BOARD_COMMENT,
        board_comment_closes_at=timezone.now() + timedelta(days=14),
    )
    comment = ReviewComment.objects.create(
        hub=blmk.hub, review=review, commission=c, author=blmk.board[1], body="A view."
    )
    slug = blmk.hub.slug
    args = {
        "monitoring:recommendation": [slug, c.reference],
        "monitoring:review_comment": [slug, review.pk],
        "monitoring:review_respond": [slug, review.pk, comment.pk],
    }
    bodies = {
        "monitoring:review_comment": {"body": "My comment."},
        "monitoring:review_respond": {"response": "Thank you."},
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


# ── at the same moment (PostgreSQL: row locks and concurrent connections) ───


def _at_once(*calls) -> list:
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait(timeout=10)
            result = call()
        except Refused as refused:
            result = refused.rule
        finally:
            connections.close_all()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_two_members_commenting_at_once_close_the_window(herts):
    cast, review = herts
    results = _at_once(
        *(
            lambda m=member: svc.review_comment_add(review=review, user=m, body="At once.")
            for member in cast.board
        )
    )
    assert all(isinstance(r, ReviewComment) for r in results), results
    assert ReviewComment.objects.filter(review=review).count() == 2
    assert _fresh(review).commission.board_comment_closes_at <= timezone.now()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_comment_form_sent_twice_at_once_makes_one_comment(herts):
    cast, review = herts

    def send():
        return svc.review_comment_add(
            review=review, user=cast.board[0], body="Double click.", form_key="same-form"
        )

    results = _at_once(send, send)
    assert len({r.pk for r in results}) == 1, results
    assert ReviewComment.objects.filter(review=review).count() == 1
