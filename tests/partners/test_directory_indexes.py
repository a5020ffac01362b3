"""Every filter of the partner directory, and its search, has an index of
its own (partners migration 0003_d_directory); with sequential scans priced
out, the planner reads the search's GIN index and an index for each status,
so a hub of thousands of partners is not read row by row."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from hubs.search import search
from partners.directory.filters import SEARCH_FIELDS, PartnerFilter
from partners.directory.selectors import STATUS_Q
from partners.models import PartnerOrganisation
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("partners.migrations.0003_d_directory")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_filter_searches_the_fields_its_index_covers():
    assert list(PartnerFilter.search_fields) == list(SEARCH_FIELDS) == MIGRATION.SEARCH_FIELDS


@pytest.mark.postgres
def test_the_search_reads_its_index():
    plan = _plan(search(PartnerOrganisation.objects.all(), "strings", SEARCH_FIELDS))
    assert "partner_search" in plan


@pytest.mark.parametrize(
    ("columns", "index"),
    [
        (["hub_id", "partnership_type"], "partner_hub_type"),
        (["hub_id", "organisation_type"], "partner_hub_org_type"),
        (["hub_id", "former_on"], "partner_hub_former"),
        (["hub_id", "introductory_meeting_on"], "partner_hub_meeting"),
        (["hub_id", "is_existing_partner"], "partner_hub_existing"),
        (["hub_id", "name"], "unique_partner_name_per_hub"),  # the default order
    ],
)
def test_each_filter_has_its_index(columns, index):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, PartnerOrganisation._meta.db_table)
    assert found[index]["columns"] == columns


@pytest.mark.postgres
@pytest.mark.parametrize("status", sorted(STATUS_Q))
def test_each_status_reads_an_index(status):
    hub = HubFactory()
    plan = _plan(PartnerOrganisation.objects.filter(STATUS_Q[status], hub=hub).order_by())
    assert "Seq Scan on partners_partnerorganisation" not in plan
