"""A policy version's life on Hertfordshire, end to end: the hub admin's save
makes a draft and leaves the policy in force alone; the draft is opened for
comment and public consultation; the board and the public comment; the body
the CURRENT version names approves it (anyone else is refused in words, and
so is a second approval by the same person); it is in force from its date and
not before, while commissions opened before keep their version."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from hubs.models import HubPolicy, PolicyComment, PolicyDecision, PolicyStatus, RouteStep
from hubs.policy_life import services
from hubs.policy_life.selectors import approval_of, life_of
from hubs.refusals import Refused
from hubs.services import policy_current, policy_revise
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

BOARD = "Hertfordshire Music Hub board"


@pytest.fixture
def herts(build):
    return build("herts")


@pytest.fixture
def today(monkeypatch):
    """Move the app's 'today' (timezone.localdate) to a date of the test's."""
    real = timezone.localdate

    def set_to(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    set_to(real())
    return set_to


def draft_of(cast, **changes) -> HubPolicy:
    policy = policy_current(hub=cast.hub)
    for name, value in changes.items():
        setattr(policy, name, value)
    return policy_revise(policy=policy, user=cast.admin)


def refusal(call) -> Refused:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value


def page(client, cast, policy):
    return reverse("hubs:policy_draft", args=[cast.hub.slug, policy.version])


def test_saving_the_policy_in_force_makes_a_draft_and_changes_nothing_in_force(herts):
    v1 = policy_current(hub=herts.hub)
    draft = draft_of(herts, min_match_funding_percent=20)
    assert (draft.version, draft.status, draft.proposed_by) == (2, PolicyStatus.DRAFT, herts.admin)
    assert draft.approved_by == "" and draft.approved_on is None
    assert policy_current(hub=herts.hub) == v1, "a draft is never the policy in force"
    assert policy_current(hub=herts.hub).min_match_funding_percent == 0
    # A second save changes the draft in place; a save of version 1 is refused.
    draft.title = "Commissioning Policy v1.3"
    assert policy_revise(policy=draft).version == 2
    assert HubPolicy.objects.filter(hub=herts.hub).count() == 2
    said = refusal(lambda: policy_revise(policy=HubPolicy.objects.get(pk=v1.pk)))
    assert said.message == "Version 2 is already being drafted; change that version instead."


def test_the_life_of_a_version_end_to_end(client, herts, pipeline, today):
    start = timezone.localdate()
    before = pipeline(herts)._open("Opened under version 1")
    draft = draft_of(herts, min_match_funding_percent=20)
    url = page(client, herts, draft)

    # Only a hub admin opens it; the officer is refused in words.
    said = refusal(lambda: services.policy_open_for_comment(policy=draft, user=herts.officer))
    assert (
        said.message
        == "Only a hub admin of Hertfordshire Music Hub opens a draft of its policy for comment."
    )
    sign_in(client, herts.admin)
    response = client.post(
        url, {"action": "open", "consultation_closes_on": str(start + timedelta(days=10))}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.OPEN
    assert draft.comment_closes_on == start + timedelta(days=28)  # the route's window

    # The board comments on the draft's page; a replayed form makes one comment.
    for member, words in zip(
        herts.board, ["Keep the 20% for larger awards only?", "Agreed."], strict=True
    ):
        sign_in(client, member)
        form = {"action": "comment", "body": words, "form_key": f"key-{member.pk}"}
        assert client.post(url, form).status_code == 302
        assert client.post(url, form).status_code == 302  # sent twice
    assert PolicyComment.objects.filter(policy=draft, kind="board").count() == 2

    # The public comments on the consultation page, with no sign-in.
    public = reverse("hubs:policy_consultation", args=["herts", draft.version])
    client.logout()
    text = client.get(public).content.decode()
    assert "Minimum match funding (%)" in text and "What changes from version 1" in text
    form = {
        "name": "Priya Shah",
        "organisation": "Stevenage Schools Partnership",
        "email": "priya@example.org",
        "body": "20% will shut out small community groups.",
        "form_key": "public-1",
    }
    assert client.post(public, form).status_code == 302
    assert client.post(public, form).status_code == 302  # the same form, replayed
    assert client.post(public, {**form, "form_key": "robot", "website": "x"}).status_code == 302
    assert PolicyComment.objects.filter(policy=draft, kind="public").count() == 1

    # The hub admin responds to the public comment; the board reads it all.
    comment = PolicyComment.objects.get(policy=draft, kind="public")
    sign_in(client, herts.admin)
    response = client.post(
        url, {"action": "respond", "c": comment.pk, f"c{comment.pk}-response": "We will."}
    )
    assert response.status_code == 302
    sign_in(client, herts.board[0])
    text = client.get(url).content.decode()
    assert "Priya Shah, Stevenage Schools Partnership" in text and "We will." in text
    assert "Keep the 20% for larger awards only?" in text

    # The ELT approves awards under version 1, not new versions of the policy.
    said = refusal(
        lambda: services.policy_decide(
            policy=draft, user=herts.approver, outcome="approve", effective_from=start
        )
    )
    assert said.rule == "not_policy_body"
    assert f"2 of the {BOARD} (not whoever submitted it) must all approve" in said.message
    # The board waits for the public consultation to close.
    said = refusal(
        lambda: services.policy_decide(
            policy=draft, user=herts.board[0], outcome="approve", effective_from=start
        )
    )
    assert said.refusal.waits and "public consultation is open until" in said.message

    today(start + timedelta(days=11))
    effective = start + timedelta(days=30)
    sign_in(client, herts.board[0])
    response = client.post(
        url, {"action": "decide", "outcome": "approve", "effective_from": str(effective)}
    )
    assert response.status_code == 302
    said = refusal(
        lambda: services.policy_decide(
            policy=draft, user=herts.board[0], outcome="approve", effective_from=effective
        )
    )
    assert said.message == (
        f"You have approved version 2 already; it waits for 1 more of the {BOARD}."
    )
    sign_in(client, herts.board[1])
    response = client.post(
        url, {"action": "decide", "outcome": "approve", "effective_from": str(effective)}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.APPROVED and draft.effective_from == effective
    assert draft.approved_by == f"{BOARD} (Bea Board, Bob Boardman)"
    assert draft.approved_on == start + timedelta(days=11)
    assert PolicyDecision.objects.filter(policy=draft, outcome="approve").count() == 2

    # Approved, but not in force before its date: commissions open under version 1.
    v1 = HubPolicy.objects.get(hub=herts.hub, version=1)
    assert policy_current(hub=herts.hub) == v1
    assert life_of(draft, v1) == f"Approved: in force from {effective:%-d %B %Y}"
    during = pipeline(herts)._open("Opened before version 2 takes effect")
    assert during.policy_id == v1.pk

    today(effective)
    assert policy_current(hub=herts.hub) == draft
    after = pipeline(herts)._open("Opened under version 2")
    assert after.policy_id == draft.pk
    before.refresh_from_db()
    assert Commission.objects.get(pk=before.pk).policy_id == v1.pk, "keeps its version"
    assert life_of(v1, draft) == "Superseded" and life_of(draft, draft) == "In force"


def test_a_return_to_draft_needs_reasons_and_starts_the_round_again(herts, today):
    draft = draft_of(herts)
    services.policy_open_for_comment(policy=draft, user=herts.admin)
    for member in herts.board:
        services.policy_comment_add(policy=draft, user=member, body="Seen.")
    said = refusal(
        lambda: services.policy_decide(policy=draft, user=herts.board[0], outcome="return")
    )
    assert (said.message, said.field) == ("Say why it goes back to draft.", "reason")
    services.policy_decide(
        policy=draft, user=herts.board[0], outcome="approve", effective_from=timezone.localdate()
    )
    services.policy_decide(
        policy=draft, user=herts.board[1], outcome="return", reason="Say what 'larger' means."
    )
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT
    # Changed and opened again, it needs two approvals afresh.
    draft.title = "Commissioning Policy v1.3"
    policy_revise(policy=draft)
    services.policy_open_for_comment(policy=draft, user=herts.admin)
    assert approval_of(draft).awaited[0] == 0 and approval_of(draft).approvals_at(0) == []


def test_the_comment_window_is_required_until_every_member_has_commented(herts):
    draft = draft_of(herts)
    services.policy_open_for_comment(policy=draft, user=herts.admin)
    services.policy_comment_add(policy=draft, user=herts.board[0], body="Fine by me.")
    said = refusal(
        lambda: services.policy_decide(
            policy=draft,
            user=herts.board[0],
            outcome="approve",
            effective_from=timezone.localdate(),
        )
    )
    assert said.rule == "comment_window_open" and said.refusal.waits
    services.policy_comment_add(policy=draft, user=herts.board[1], body="And me.")
    services.policy_decide(
        policy=draft, user=herts.board[0], outcome="approve", effective_from=timezone.localdate()
    )


def test_the_route_is_the_current_versions_not_the_drafts(herts):
    """A draft that says the ELT approves new versions is still approved by
    the board, as the version in force says."""
    draft = draft_of(herts)
    RouteStep.objects.filter(route__policy=draft, route__kind="policy", kind="decide").update(
        body="approvers", name="HMS Executive Leadership Team", needed=1
    )
    services.policy_open_for_comment(policy=draft, user=herts.admin)
    for member in herts.board:
        services.policy_comment_add(policy=draft, user=member, body="Noted.")
    said = refusal(
        lambda: services.policy_decide(
            policy=draft,
            user=herts.approver,
            outcome="approve",
            effective_from=timezone.localdate(),
        )
    )
    assert said.rule == "not_policy_body" and "Under version 1, the policy in force" in said.message


def test_public_comments_are_checked_beside_their_fields(client, herts):
    draft = draft_of(herts)
    services.policy_open_for_comment(
        policy=draft,
        user=herts.admin,
        consultation_closes_on=timezone.localdate() + timedelta(days=5),
    )
    public = reverse("hubs:policy_consultation", args=["herts", draft.version])
    response = client.post(public, {"name": "", "email": "not an email", "body": "x" * 3001})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give your name." in text
    assert 'value="not an email"' in text, "what was typed is kept"
    assert not PolicyComment.objects.filter(policy=draft).exists()


def test_a_closed_or_missing_consultation_is_not_found_or_closed(client, herts):
    draft = draft_of(herts)
    public = reverse("hubs:policy_consultation", args=["herts", draft.version])
    assert client.get(public).status_code == 404  # a draft not opened to the public
    services.policy_open_for_comment(policy=draft, user=herts.admin)
    assert client.get(public).status_code == 404  # opened to the board only


def test_another_hubs_draft_is_not_found(client, herts, build):
    kent = build("kent")
    draft = draft_of(herts)
    url = page(client, herts, draft)
    for person in (kent.admin, kent.board[0]):
        sign_in(client, person)
        assert client.get(url).status_code == 404
    sign_in(client, herts.board[0])
    assert client.get(url).status_code == 200
    elsewhere = reverse("hubs:policy_draft", args=["kent", draft.version])
    assert client.get(elsewhere).status_code == 404


def test_the_admins_save_as_a_new_version_makes_a_draft(client, herts):
    from tests.hubs.test_admin import admin_url, page_form_data

    v1 = policy_current(hub=herts.hub)
    sign_in(client, herts.admin)
    url = admin_url(HubPolicy, "change", v1.pk)
    page_text = client.get(url).content.decode()
    assert 'name="approved_by"' not in page_text, "written from the record, read-only"
    data = page_form_data(client.get(url))
    data["min_match_funding_percent"] = "20"
    response = client.post(url, data, follow=True)
    draft = HubPolicy.objects.get(hub=herts.hub, version=2)
    assert draft.status == PolicyStatus.DRAFT and draft.proposed_by == herts.admin
    assert "Saved as draft version 2; version 1 stays in force" in response.content.decode()
    assert policy_current(hub=herts.hub) == v1
    # A second draft beside the first is refused beside the form, in the gate's words.
    data = page_form_data(client.get(url))
    data["title"] = "Another"
    refused = client.post(url, data)
    assert refused.status_code == 403, "version 1 is superseded by a draft: read-only"
    services.policy_open_for_comment(policy=draft, user=herts.admin)
    draft_url = admin_url(HubPolicy, "change", draft.pk)
    assert client.post(draft_url, page_form_data(client.get(draft_url))).status_code == 403


def test_the_public_policy_page_links_to_an_open_consultation(client, herts):
    draft = draft_of(herts)
    policy_page = reverse("hubs:policy", args=["herts"])
    assert "Read the draft and comment on it" not in client.get(policy_page).content.decode()
    closes = timezone.localdate() + timedelta(days=7)
    services.policy_open_for_comment(policy=draft, user=herts.admin, consultation_closes_on=closes)
    text = client.get(policy_page).content.decode()
    assert reverse("hubs:policy_consultation", args=["herts", 2]) in text
    # The page itself still sets out version 1, the policy in force.
    assert "Commissioning Policy v1.2, version 1" in text
