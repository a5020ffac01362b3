"""hubs.search: one search for every list, full text on PostgreSQL and a
plain contains on SQLite, and each list's search index in use."""

from __future__ import annotations

import pytest
from django.db import connection

from commissioning.models import Call, Commission, NeedsAnalysis, Proposal
from hubs.search import MAX_LENGTH, cleaned, search
from monitoring.models import Complaint, Report
from notices.models import Notification

pytestmark = pytest.mark.django_db

FIELDS = ("title", "description", "reference", "partner__name")


def _titles(queryset) -> list[str]:
    return sorted(queryset.values_list("title", flat=True))


def _commissions(build, pipeline):
    cast = build("herts")
    p = pipeline(cast)
    made = {}
    for title, description in [
        ("Singing strategy", "Choirs for primary schools"),
        ("Schools singing days", "Whole-class singing"),
        ("Music technology", "Studios in secondary schools"),
    ]:
        c = p._open(title)
        Commission.objects.filter(pk=c.pk).update(description=description)
        made[title] = c
    return cast, made


def test_nothing_typed_leaves_the_list_as_it_was(build, pipeline):
    cast, made = _commissions(build, pipeline)
    everything = Commission.objects.filter(hub=cast.hub)
    for text in ("", "   ", None):
        found = search(everything, text, FIELDS)
        assert _titles(found) == sorted(made)
        assert {c.search_rank for c in found} == {0.0}


def test_every_word_typed_must_be_found_in_some_field(build, pipeline):
    cast, _ = _commissions(build, pipeline)
    everything = Commission.objects.filter(hub=cast.hub)
    assert _titles(search(everything, "singing schools", FIELDS)) == [
        "Schools singing days",
        "Singing strategy",
    ]
    assert _titles(search(everything, "singing studios", FIELDS)) == []
    assert _titles(search(everything, "  SCHOOLS   ", FIELDS)) == [
        "Music technology",
        "Schools singing days",
        "Singing strategy",
    ]


def test_a_long_paste_is_cut_not_refused():
    assert len(cleaned("word " * 500)) == MAX_LENGTH
    assert cleaned("  two\n\twords ") == "two words"


# Each searched list, the fields its filter searches, and its GIN index.
INDEXED = [
    (Commission, ("title", "description", "reference", "partner__name"), "commission_search"),
    (NeedsAnalysis, ("title", "summary"), "analysis_search"),
    (Call, ("title", "summary", "commission__reference"), "call_search"),
    (Proposal, ("title", "summary", "partner__name"), "proposal_search"),
    (Report, ("title", "commission__title"), "report_search"),
    (Complaint, ("summary", "raised_by", "commission__reference"), "complaint_search"),
    (Notification, ("subject", "body"), "notification_search"),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("model", "fields", "index"), INDEXED, ids=[i[2] for i in INDEXED])
def test_each_lists_search_can_use_its_index(model, fields, index):
    """The vector the search builds is the indexed expression itself: with
    sequential scans priced out, the planner reads the index (an expression
    that drifted from the migration's would force a scan)."""
    stored = model is Commission  # a stored vector column (AddStoredSearchVector)
    own = [f for f in fields if "__" not in f]  # a related field is matched on its own
    queryset = search(model.objects.all(), "ensembles", own, stored=stored)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


def test_the_filters_search_the_indexed_fields():
    """The search fields each list's filter declares start with the fields
    its index covers (tests above check the index against the same list)."""
    from commissioning.filters import (
        CallFilter,
        CommissionFilter,
        NeedsAnalysisFilter,
        ProposalFilter,
    )
    from monitoring.filters import ComplaintFilter, ReportFilter
    from notices.filters import NotificationFilter

    declared = {
        Commission: CommissionFilter.search_fields,
        NeedsAnalysis: NeedsAnalysisFilter.search_fields,
        Call: CallFilter.search_fields,
        Proposal: ProposalFilter.search_fields,
        Report: ReportFilter.search_fields,
        Complaint: ComplaintFilter.search_fields,
        Notification: NotificationFilter.search_fields,
    }
    for model, fields, _ in INDEXED:
        own = [f for f in declared[model] if "__" not in f]
        assert own == [f for f in fields if "__" not in f], model.__name__


@pytest.mark.postgres
def test_the_stored_vector_finds_and_ranks_as_the_computed_one(build, pipeline):
    cast, _ = _commissions(build, pipeline)
    everything = Commission.objects.filter(hub=cast.hub)
    for text in ("singing", "schools", "choirs -studios", "technology or choirs"):
        computed = search(everything, text, FIELDS)
        stored = search(everything, text, FIELDS, stored=True)
        assert _titles(stored) == _titles(computed), text
    ranked = search(everything, "singing", FIELDS, stored=True).order_by("-search_rank", "pk")
    # Both have it in the title; the one that also sings in its scope is closer.
    assert [c.title for c in ranked] == ["Schools singing days", "Singing strategy"]


def test_the_commission_filter_reads_the_stored_vector():
    from commissioning.filters import CommissionFilter

    assert CommissionFilter.search_stored
