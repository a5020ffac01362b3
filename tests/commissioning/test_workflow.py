"""The graph is declared once and is complete; the stage can't be set by hand;
the log can't be rewritten."""

import pytest
from django.db import DatabaseError, transaction

from commissioning.models import Commission, TransitionLog
from commissioning.policy import RULES
from commissioning.workflow import ACTIONS, CommissionWorkflow, Stage, sources_of, target_of


def test_every_action_is_a_transition_with_rules():
    for name in ACTIONS:
        assert hasattr(getattr(CommissionWorkflow, name), "_django_fsm"), name
    assert set(RULES) == set(ACTIONS)


def test_every_stage_is_reachable_from_needs():
    reached, frontier = {Stage.NEEDS.value}, [Stage.NEEDS.value]
    while frontier:
        stage = frontier.pop()
        for action in ACTIONS:
            if stage in sources_of(action) and target_of(action) not in reached:
                reached.add(target_of(action))
                frontier.append(target_of(action))
    assert reached == set(Stage.values)


def test_finished_stages_have_no_way_out():
    for stage in (Stage.COMPLETED, Stage.DECOMMISSIONED, Stage.WITHDRAWN):
        assert not [a for a in ACTIONS if stage in sources_of(a)], stage


def test_rejection_returns_to_draft():
    assert sources_of("return_to_draft") == [Stage.APPROVAL]
    assert target_of("return_to_draft") == Stage.DRAFT


@pytest.mark.django_db
def test_stage_cannot_be_set_by_hand(build):
    cast = build("kent")
    from demo.management.commands.load_demo import Pipeline

    commission = Pipeline(cast)._open("Hand-set")
    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        commission.status = Stage.MONITORING


@pytest.mark.django_db
def test_the_log_is_append_only(build, pipeline):
    cast = build("kent")
    commission = pipeline(cast)._open("Logged")
    entry = TransitionLog.objects.get(commission=commission)
    entry.reason = "rewritten"
    with pytest.raises(PermissionError, match="append-only"):
        entry.save()
    with pytest.raises(PermissionError, match="append-only"):
        entry.delete()
    with pytest.raises(PermissionError, match="append-only"):
        TransitionLog.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError, match="append-only"):
        TransitionLog.objects.filter(pk=entry.pk).delete()
    # Below the ORM, the database refuses too.
    from django.db import connection

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE commissioning_transitionlog SET reason = 'x'")
    assert Commission.objects.get(pk=commission.pk).transitions.get().reason != "x"
