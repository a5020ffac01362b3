"""The score scale as data on each policy version: a 1-10 scale refuses 11 in
words and totals correctly (score / 10 x weight); its words show on the
scoring page; moderation uses it; a new version copies it; the admin is the
hub admin's own and will not go below a score already given; and the
migration that gives every policy 0-5 runs both ways in
tests/test_migrations_both_ways.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.models import Score, ScoreScale
from commissioning.scoring import services as svc
from commissioning.scoring.scale import scale_of, score_scale_words
from hubs.models import HubPolicy, Role
from hubs.services import membership_grant, policy_revise
from tests.auth_helpers import sign_in
from tests.commissioning.scoring.test_services import (
    WEIGHTS,
    card,
    open_call,
    result_of,
    score,
    submit,
)
from tests.commissioning.scoring.test_services import seat as seat_panel
from tests.hubs.test_admin import admin_url, make_hub, make_policy, make_user

pytestmark = pytest.mark.django_db

TEN_WORDS = "0 Not addressed\n5 Adequate\n10 Excellent"


@pytest.fixture
def kent10(build, pipeline):
    """Kent, whose policy scores 0 to 10, with a closed call and a panel."""
    cast = build("kent")
    policy = cast.hub.policies.get()
    ScoreScale.objects.update_or_create(
        policy=policy, defaults={"max_score": 10, "words": TEN_WORDS}
    )
    call = open_call(cast, pipeline, weights=WEIGHTS)
    medway = submit(call, cast.partners["medway"])
    seat_panel(call, cast.officer, cast.approver, cast.board[0])
    return cast, call, medway


def test_a_ten_point_scale_refuses_eleven_in_words_and_totals_out_of_100(kent10):
    cast, call, medway = kent10
    svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=False)
    scores = card(call, 8, 6, 11)
    inclusion = list(scores)[-1]
    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=medway, user=cast.approver, scores=scores)
    assert str(refused.value) == "Score Inclusion from 0 to 10."
    assert refused.value.field == f"score_{inclusion}"
    assert not Score.objects.exists()

    score(medway, cast.approver, 8, 6, 10)  # 32 + 21 + 25 = 78
    score(medway, cast.board[0], 10, 10, 5)  # 40 + 35 + 12.5 = 87.5
    r = result_of(call, medway)
    assert r.mean_total == Decimal("82.75")
    assert r.spread == Decimal("9.5")
    assert r.moderated_total == Decimal("82.75")


def test_moderation_uses_the_policys_scale(kent10):
    cast, call, medway = kent10
    score(medway, cast.approver, 8, 6, 10)
    quality = next(iter(card(call, 0, 0, 0)))
    with pytest.raises(svc.Refused, match=r"Give the agreed score for Quality, from 0 to 10\."):
        svc.moderations_record(
            proposal=medway, user=cast.officer, agreed={quality: (12, "Panel agreed.")}
        )
    svc.moderations_record(
        proposal=medway, user=cast.officer, agreed={quality: (10, "Panel agreed.")}
    )
    assert result_of(call, medway).moderated_total == Decimal(40 + 21 + 25)


def test_the_scoring_page_offers_the_scale_with_its_words(client, kent10):
    cast, call, medway = kent10
    svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=False)
    sign_in(client, cast.approver)
    url = reverse("scoring:score", args=[cast.hub.slug, call.pk, medway.pk])
    page = client.get(url).content.decode()
    assert '<option value="10">10 Excellent</option>' in page
    assert '<option value="7">7</option>' in page and 'value="11"' not in page
    assert "0 Not addressed, 5 Adequate, 10 Excellent." in page
    data = {f"score_{cid}": "11" for cid in card(call, 0, 0, 0)}
    data |= {f"comment_{cid}": "Typed with care." for cid in card(call, 0, 0, 0)}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Score Quality from 0 to 10." in body
    assert "Typed with care." in body, "what was typed stays"
    overview = client.get(reverse("scoring:overview", args=[cast.hub.slug, call.pk]))
    assert "from 0 to 10" in overview.content.decode()


def test_a_standard_policy_keeps_0_to_5():
    policy = make_policy(make_hub("Avon"))  # no row: a script's policy
    scale = scale_of(policy)
    assert (scale.max, scale.hint) == (5, "0 (no evidence) to 5 (excellent evidence).")
    assert score_scale_words(policy) == [
        "Each criterion is scored from 0 to 5; a proposal's total is out of 100 (each score's "
        "share of the highest score, times the criterion's weight)."
    ]


def test_a_new_version_copies_the_scale_and_a_first_policy_starts_at_5():
    first = make_policy(make_hub("Avon"))
    ScoreScale.objects.create(policy=first, max_score=10, words=TEN_WORDS)
    second = policy_revise(policy=HubPolicy.objects.get(pk=first.pk))
    copied = ScoreScale.objects.get(policy=second)
    assert (copied.max_score, copied.words) == (10, TEN_WORDS)
    assert "What the scores mean: 0 Not addressed, 5 Adequate, 10 Excellent." in (
        score_scale_words(second)
    )
    new = policy_revise(policy=HubPolicy(hub=make_hub("Cleve")))
    assert ScoreScale.objects.get(policy=new).max_score == 5


# ── the admin ────────────────────────────────────────────────────────────────


def test_the_hub_admin_sets_their_scale_only_and_not_below_a_given_score(
    client, django_user_model, kent10
):
    cast, _call, medway = kent10
    score(medway, cast.approver, 8, 6, 10)
    admin_user = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=cast.hub, user=admin_user, role=Role.HUB_ADMIN)
    sign_in(client, admin_user)
    scale = ScoreScale.objects.get(policy__hub=cast.hub)
    url = admin_url(ScoreScale, "change", scale.pk)
    data = {"policy": scale.policy_id, "max_score": "5", "words": ""}
    # The version in force, which commissions run under and scores were given
    # on, is never changed in place (hubs.admin.scoping.rows_editable).
    assert client.post(url, data).status_code == 403
    assert client.post(url, data | {"max_score": "12"}).status_code == 403
    assert scale_of(HubPolicy.objects.get(pk=scale.policy_id)).max == 10

    other = ScoreScale.objects.create(policy=make_policy(make_hub("Brent")), max_score=7)
    assert client.get(admin_url(ScoreScale, "change", other.pk)).status_code in (302, 404)
    listing = client.get(admin_url(ScoreScale, "changelist")).content.decode()
    assert "Scores from 0 to 7" not in listing and "Scores from 0 to 10" in listing


# ── the migration, both ways ─────────────────────────────────────────────────
