"""Draft versions (hubs/drafts.py): the compare-and-set refuses a save that
carries an older version, whichever order saves reach the server in, and two
saves racing with the same version make exactly one save. The races need
concurrent connections and row locks: PostgreSQL only."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections, transaction

from commissioning.calls import services as calls
from commissioning.models import Proposal
from hubs.drafts import STALE, draft_version_claim, draft_version_refusal, sent_version
from hubs.refusals import Refused
from tests.commissioning.calls.test_services import draft, publish


def test_the_version_a_page_sent_is_read_strictly():
    assert sent_version({"draft_version": "7"}) == 7
    for nonsense in ({}, {"draft_version": ""}, {"draft_version": "-3"}, {"draft_version": "x"}):
        assert sent_version(nonsense) == 0  # no draft has version 0: refused
    assert sent_version({"draft_version": "9" * 30}) == 0


def test_only_the_saved_version_passes():
    assert draft_version_refusal(saved=4, sent=4, what="report") is None
    assert draft_version_refusal(saved=4, sent=None, what="report") is None  # a service caller
    refusal = draft_version_refusal(saved=5, sent=4, what="report")
    assert refusal.rule == STALE
    assert refusal.message.startswith("This report was saved from another page")


@pytest.mark.django_db
def test_a_claim_moves_the_version_on_once(build, pipeline):
    cast = build("leics")
    proposal = draft(publish(cast, pipeline), cast, "leicjazz")
    n = proposal.draft_version
    assert draft_version_claim(Proposal.objects, proposal, sent=n, what="draft") == n + 1
    late = Proposal.objects.get(pk=proposal.pk)
    late.draft_version = n  # a copy read before the claim
    with pytest.raises(Refused) as refused:
        draft_version_claim(Proposal.objects, late, sent=n, what="draft")
    assert refused.value.rule == STALE
    assert Proposal.objects.get(pk=proposal.pk).draft_version == n + 1


def _race(work, count: int = 2) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            result = work(i)
        except Refused as refused:
            result = refused.rule
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claims_of_one_version_at_once_let_one_through(build, pipeline):
    """The UPDATE ... WHERE draft_version = n alone, without the row lock the
    services take first: the second waits for the first's row and then finds
    no row with version n."""
    cast = build("leics")
    proposal = draft(publish(cast, pipeline), cast, "leicjazz")
    n = proposal.draft_version

    def claim(i: int) -> str:
        mine = Proposal.objects.get(pk=proposal.pk)
        with transaction.atomic():
            draft_version_claim(Proposal.objects, mine, sent=n, what="draft")
            time.sleep(0.3)  # hold the row while the other claims it
        return "saved"

    assert _race(claim) == sorted(["saved", STALE])
    assert Proposal.objects.get(pk=proposal.pk).draft_version == n + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_autosaves_of_one_page_at_once_make_one_save(build, pipeline):
    cast = build("leics")
    proposal = draft(publish(cast, pipeline), cast, "leicjazz")
    contact = cast.contacts[proposal.partner_id]
    n = proposal.draft_version
    rows = {0: [("Tutors", 100)], 1: [("Tutors", 100), ("Venue", 50), ("Transport", 25)]}

    def save(i: int) -> str:
        calls.proposal_save_draft(
            proposal=Proposal.objects.get(pk=proposal.pk),
            user=contact,
            answers={"summary": f"Copy {i}"},
            budget_lines=rows[i],
            version=n,
        )
        return f"saved {i}"

    outcomes = _race(save)
    assert len(outcomes) == 2 and STALE in outcomes
    winner = int(next(o for o in outcomes if o.startswith("saved")).split()[1])
    proposal.refresh_from_db()
    assert proposal.summary == f"Copy {winner}" and proposal.draft_version == n + 1
    saved = list(proposal.budget_lines.order_by("position").values_list("description", flat=True))
    assert saved == [d for d, _ in rows[winner]]  # one save whole, never a mixture
