"""Clarification questions on a call: an applicant asks, HLO staff answer, the
answer is published on the call's pages without who asked, applicants with an
expression of interest are told once; questions after closing are refused in
words; the access matrix and the query counts of the call's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.calls import questions
from commissioning.models import Call, CallQuestion
from notices.models import Notification
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import draft, publish, refusals_of, submit

pytestmark = pytest.mark.django_db

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "calls:ask": (
        "post",
        members(403, partner_contact=302, other_area_lead=404, other_partner=404),
    ),
    "calls:answer": (
        "post",
        members(
            302,
            approver=403,
            hub_admin=403,
            board_member=404,
            partner_contact=404,
            other_area_lead=404,
            other_partner=404,
        ),
    ),
}


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    call = publish(blmk, pipeline)
    partner = blmk.partners["lutonms"]
    asked = questions.question_ask(
        call=call, user=blmk.contacts[partner.pk], partner=partner, question="Can we bid jointly?"
    )
    slug = blmk.hub.slug
    args = {"calls:ask": [slug, call.pk], "calls:answer": [slug, call.pk, asked.pk]}
    bodies = {
        "calls:ask": {"ask-question": "Is travel a cost we may include?"},
        "calls:answer": {f"answer-{asked.pk}-answer": "Yes, with a lead partner."},
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies[url_name])


def _contact(cast, key):
    return cast.contacts[cast.partners[key].pk]


def test_an_answer_is_published_to_every_applicant_without_who_asked(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    submit(draft(call, cast, "mtech"), cast)  # an applicant, to be told
    asker = _contact(cast, "countyms")
    partner = cast.partners["countyms"]
    asker_page = Client()
    sign_in(asker_page, asker)
    detail = reverse("calls:detail", args=[cast.hub.slug, call.pk])
    response = asker_page.post(
        reverse("calls:ask", args=[cast.hub.slug, call.pk]),
        {"ask-question": "May a bid include instrument purchase?"},
    )
    assert response.status_code == 302
    question = CallQuestion.objects.get(call=call)
    assert (question.partner, question.asked_by) == (partner, asker)

    officer = Client()
    sign_in(officer, cast.officer)
    page = officer.get(detail).content.decode()
    assert "May a bid include instrument purchase?" in page
    assert f"Question from {partner}" in page  # staff see who asks, to follow up
    response = officer.post(
        reverse("calls:answer", args=[cast.hub.slug, call.pk, question.pk]),
        {f"answer-{question.pk}-answer": "Yes, up to a fifth of the Hub grant."},
    )
    assert response.status_code == 302

    for client, url in [
        (Client(), reverse("calls:public_detail", args=[cast.hub.slug, call.pk])),
        (asker_page, detail),
    ]:
        html = client.get(url).content.decode()
        section = html[html.index('id="questions"') :]
        assert "May a bid include instrument purchase?" in section
        assert "Yes, up to a fifth of the Hub grant." in section
        assert partner.name not in section and asker.email not in section

    told = Notification.objects.filter(kind="call_answer")
    assert list(told.values_list("user_id", flat=True)) == [_contact(cast, "mtech").pk]
    assert partner.name not in told.get().body and "up to a fifth" in told.get().body

    # answered once: a second answer is refused in words, nobody told again
    got = refusals_of(
        lambda: questions.question_answer(question=question, user=cast.officer, answer="No.")
    )
    assert "stays as applicants read it" in got["answered_already"][0]
    assert told.count() == 1


def test_questions_are_refused_in_words(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    partner = cast.partners["mtech"]
    contact = _contact(cast, "mtech")
    got = refusals_of(
        lambda: questions.question_ask(call=call, user=contact, partner=partner, question=" ")
    )
    assert got == {"question_required": ("Write your question.", "question")}
    got = refusals_of(
        lambda: questions.question_ask(call=call, user=cast.officer, partner=partner, question="?")
    )
    assert "partner_only" in got

    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=5))
    call.refresh_from_db()
    got = refusals_of(
        lambda: questions.question_ask(call=call, user=contact, partner=partner, question="Late?")
    )
    assert "questions are taken only while it is open" in got["call_closed"][0]
    assert not CallQuestion.objects.exists()


def test_a_blank_answer_stays_on_the_page_with_its_message(build, pipeline, client):
    cast = build("consortium")
    call = publish(cast, pipeline)
    partner = cast.partners["mtech"]
    q = questions.question_ask(
        call=call, user=_contact(cast, "mtech"), partner=partner, question="When are interviews?"
    )
    sign_in(client, cast.officer)
    response = client.post(
        reverse("calls:answer", args=[cast.hub.slug, call.pk, q.pk]),
        {f"answer-{q.pk}-answer": "   "},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the answer." in html and f'href="#id_answer-{q.pk}-answer"' in html


def _queries(client, url) -> int:
    client.get(url)  # warm: the person's standing and unread count are then cached
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_call_pages_cost_the_same_for_2_or_12_questions(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    partner = cast.partners["mtech"]
    contact = _contact(cast, "mtech")
    officer, applicant = Client(), Client()
    sign_in(officer, cast.officer)
    sign_in(applicant, contact)
    detail = reverse("calls:detail", args=[cast.hub.slug, call.pk])
    urls = [
        (officer, detail),
        (applicant, detail),
        (Client(), reverse("calls:public_detail", args=[cast.hub.slug, call.pk])),
    ]

    def asked(n: int, start: int) -> None:
        for i in range(start, start + n):
            q = questions.question_ask(
                call=call, user=contact, partner=partner, question=f"Question {i}?"
            )
            if i % 2:
                questions.question_answer(question=q, user=cast.officer, answer=f"Answer {i}.")

    asked(2, 0)
    few = [_queries(c, url) for c, url in urls]
    asked(10, 2)
    assert [_queries(c, url) for c, url in urls] == few
    assert Client().get(urls[2][1]).content.decode().count("Answer ") == 6
