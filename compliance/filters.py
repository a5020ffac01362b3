"""Filters for the compliance records list; they narrow what
records_visible returned (hub- and role-scoped), see hubs/listing.py."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.filters import ChoicesFromHub
from compliance.kinds import kind_choices
from compliance.status import EXPIRING_DAYS
from hubs.listing import Column

RECORD_COLUMNS = [
    Column("Record", "kind", ("kind",)),
    Column("Organisation", "partner", ("partner__name",)),
    Column("Named individual", "person", ("person_name",)),
    Column("Lapses", "lapses", ("expires_on", "review_on")),
    Column("Status", "status", ("verified_at",)),
]

STANDINGS = [
    ("waiting", "Waiting to be verified"),
    ("expiring", f"Verified, lapsing within {EXPIRING_DAYS} days"),
    ("lapsed", "Expired or due for review"),
]


def _lapsed_by(day) -> Q:
    return Q(expires_on__lt=day) | Q(review_on__lt=day)


class RecordFilter(ChoicesFromHub):
    search_fields = ("partner__name", "person_name", "insurer")
    choice_filters = ("partner",)

    partner = django_filters.ChoiceFilter(
        choices=[], empty_label="All organisations", label="Organisation"
    )
    kind = django_filters.ChoiceFilter(choices=[], empty_label="Every kind", label="Kind of record")
    standing = django_filters.ChoiceFilter(
        method="filter_standing", choices=STANDINGS, empty_label="Any status", label="Status"
    )

    def limit_choices(self) -> None:
        super().limit_choices()
        choices = kind_choices(self.access.hub)
        self.form.fields["kind"].choices = choices  # the field adds its empty label
        self.filters["kind"].extra["choices"] = choices

    def filter_standing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "waiting":
            return queryset.filter(verified_at__isnull=True)
        if value == "lapsed":
            return queryset.filter(_lapsed_by(today), verified_at__isnull=False)
        soon = today + timedelta(days=EXPIRING_DAYS)
        return (
            queryset.filter(verified_at__isnull=False)
            .exclude(_lapsed_by(today))
            .filter(Q(expires_on__lte=soon) | Q(review_on__lte=soon))
        )
