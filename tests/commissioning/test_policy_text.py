"""The policy in words (commissioning/policy_text.py): every rule the gate
asks has a description, and for each of the five demo policies the text says
what the policy does, move by move, as test_policies.EXPECTED has it."""

from __future__ import annotations

import pytest

from commissioning import hooks
from commissioning.policy import rules_of
from commissioning.policy_text import DESCRIPTIONS, WHO, MoveText, rule_key, rule_table
from commissioning.workflow import ACTIONS, Actor
from demo.cast import policy_from_spec
from hubs.models import Hub, HubPolicy
from tests.commissioning.test_policies import EXPECTED, UNREACHABLE_WITHOUT_BOARD
from tests.conftest import POLICY_SLUGS, SPECS

pytestmark = pytest.mark.django_db


def demo_policy(slug: str) -> HubPolicy:
    """The demo hub's policy and its decision routes as the loader makes
    them, without its people and partners."""
    spec = SPECS[slug]
    hub, made = Hub.objects.get_or_create(
        slug=slug, defaults={"name": spec["name"], "hlo_name": spec["hlo_name"]}
    )
    return policy_from_spec(hub, spec["policy"]) if made else hub.policies.get()


def rows(slug: str) -> dict[str, MoveText]:
    return {row.action: row for row in rule_table(demo_policy(slug))}


def test_every_rule_of_every_move_has_a_description():
    asked = {rule_key(rule) for action in ACTIONS for rule in rules_of(action)}
    missing = asked - set(DESCRIPTIONS)
    assert not missing, f"Describe these rules in commissioning/policy_text.py: {missing}"


def test_a_new_rule_without_a_description_fails(monkeypatch):
    def invented_rule(ctx):
        return None

    monkeypatch.setattr(hooks, "_rules", {"approve": [invented_rule]})
    with pytest.raises(KeyError):
        rule_table(demo_policy("kent"))


def test_every_actor_is_named():
    assert set(WHO) == set(Actor)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_one_row_per_move_from_the_policy_alone(slug, django_assert_num_queries):
    policy = demo_policy(slug)
    with django_assert_num_queries(2):  # its routes and its grounds, once; nothing per row
        table = rule_table(policy)
    assert [row.action for row in table] == list(ACTIONS)
    assert [row.label for row in table] == [a.label for a in ACTIONS.values()]
    assert [row.reason_required for row in table] == [a.needs_reason for a in ACTIONS.values()]
    for row in table:
        assert row.sources and row.target and row.who


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_what_is_not_a_step_is_what_the_services_refuse(slug):
    """EXPECTED is what the services do with each move under each policy; a
    move they refuse outright is "not a step", with the same rule's name, and
    so are the board's stages where a draft never goes to the board."""
    table = rows(slug)
    refused = {a: row.refused_by for a, row in table.items() if row.refused_by}
    assert refused == EXPECTED[slug]
    unreachable = {a for a, row in table.items() if not row.is_step and not row.refused_by}
    skips_board = SPECS[slug]["policy"]["board_comment_on_drafts"] == "skipped"
    assert unreachable == (UNREACHABLE_WITHOUT_BOARD if skips_board else set())
    name = SPECS[slug]["name"]
    for action, row in table.items():
        if row.is_step:
            assert action not in EXPECTED[slug]
        else:
            assert row.not_a_step.startswith(f"Not a step in {name}'s policy: ")
            assert row.rules == []


def test_leicestershire_award_asks_match_funding_and_the_introductory_meeting():
    award = " ".join(rows("leics")["award"].rules)
    assert "at least 50% of the cost from sources other than the Hub Grant" in award
    assert "introductory meeting with the HLO (Leicestershire Music)" in award
    assert "proposal submitted to the commission's call" in award


def test_a_rule_that_cannot_refuse_says_nothing():
    for slug in ("herts", "kent", "blmk", "consortium"):  # no minimum match funding
        assert "Hub Grant (from a call" not in " ".join(rows(slug)["award"].rules)
        assert "introductory meeting" not in " ".join(rows(slug)["award"].rules)
    herts = rows("herts")
    assert all("advisory" not in rule for rule in herts["send_to_board"].rules)
    assert herts["terminate_immediately"].refused_by == "no_immediate_termination"
    assert rows("leics")["terminate_immediately"].is_step


def test_leicestershire_the_chair_decides_and_the_hlo_approves():
    table = rows("leics")
    assert table["approve"].who == "Leicestershire Music (HLO)"
    for action in ("approve_decommission", "reject_decommission", "terminate_immediately"):
        assert table[action].who.startswith("The chair of Leicestershire Music Hub")
    assert "Leicestershire Music" in table["countersign"].who
    assert table["sign"].who == "A named contact of the partner organisation"


def test_blmk_has_no_board_step_and_service_leads_commission():
    table = rows("blmk")
    assert table["send_to_board"].not_a_step == (
        "Not a step in BLMK Music Hub's policy: a draft goes to the BLMK Executive Group directly."
    )
    assert table["submit_for_approval"].is_step
    assert "With the board for comment" not in table["withdraw"].sources
    assert table["award"].who == ("HLO staff or the service lead for the commission's service area")
    award = " ".join(table["award"].rules)
    assert "each music service commissions its own partners" in award.lower()
    assert "conflict of interest declaration" in award


def test_hertfordshire_the_board_comments_before_approval():
    table = rows("herts")
    assert table["submit_for_approval"].not_a_step == (
        "Not a step in Hertfordshire Music Hub's policy: the Hertfordshire Music Hub board "
        "comments on every draft partnership agreement first; send it to the board, and it "
        "goes for approval when board comment closes."
    )
    assert (
        table["close_board_comment"]
        .rules[0]
        .startswith("Once the Hertfordshire Music Hub board's comment window of 14 days has closed")
    )
    assert table["approve"].who == "HMS Executive Leadership Team"
    assert "drafting and approving are kept apart" in table["approve"].rules[0]
    assert "a call needs a recorded reason" in table["begin_identification"].rules[0]
    assert table["award"].who == "HLO staff"


def test_kent_board_comment_is_advisory():
    table = rows("kent")
    assert table["send_to_board"].rules[0].startswith("Board comment is advisory")
    assert table["submit_for_approval"].is_step and table["close_board_comment"].is_step


def test_consortium_puts_every_partnership_through_an_open_call():
    table = rows("consortium")
    assert table["begin_identification"].rules == [
        "Every partnership goes through an open call for expressions of interest, the "
        "HLO's and consortium members' services included."
    ]
    assert table["approve"].who == "Hub Board"
