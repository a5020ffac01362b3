"""Filters for commissioning's lists: commissions, needs analyses, calls and
a call's expressions of interest. Each narrows what its selector returned
(hub- and role-scoped) and never widens it; see hubs/listing.py."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils import timezone

from commissioning.models import NeedsAnalysis, ProposalStatus
from commissioning.selectors import waiting_on_q
from commissioning.workflow import Stage
from hubs.listing import Column, HubFilterSet
from hubs.models import ServiceArea, ServiceCategory
from partners.models import PartnerOrganisation

# Hub grant bands; the first threshold is the one the demo hubs' value-banded
# decision routes split at.
BANDS = {
    "under_10k": ("Under £10,000", None, Decimal(10_000)),
    "10k_50k": ("£10,000 up to £50,000", Decimal(10_000), Decimal(50_000)),
    "50k_up": ("£50,000 or more", Decimal(50_000), None),
}


def hub_choices(access) -> dict[str, list[tuple[str, str]]]:
    """The hub's service areas, categories, partners and academic years, for
    the filters' choice lists, in one query. Someone outside the HLO sees only
    their own organisations among the partners."""
    hub = access.hub

    def rows(queryset, kind: str, label: str):
        return (
            queryset.order_by()
            .annotate(
                kind=Value(kind, output_field=CharField()),
                label=F(label),
            )
            .values_list("kind", "pk", "label")
        )

    partners = PartnerOrganisation.objects.filter(hub=hub)
    if not access.is_internal:
        partners = partners.filter(pk__in=access.partner_ids)
    union = (
        rows(ServiceArea.objects.filter(hub=hub), "area", "name")
        .union(
            rows(ServiceCategory.objects.filter(hub=hub), "category", "name"),
            rows(partners, "partner", "name"),
            rows(NeedsAnalysis.objects.filter(hub=hub), "year", "cycle"),
            all=True,
        )
        .order_by()
    )
    found: dict[str, list[tuple[str, str]]] = {
        k: [] for k in ("area", "category", "partner", "year")
    }
    for kind, pk, label in union:
        found[kind].append((str(pk), label) if kind != "year" else (label, label))
    found["year"] = sorted(set(found["year"]), reverse=True)
    for kind in ("area", "category", "partner"):
        found[kind].sort(key=lambda choice: choice[1].casefold())
    return found


def _band(queryset: QuerySet, field: str, key: str) -> QuerySet:
    _, low, high = BANDS[key]
    if low is not None:
        queryset = queryset.filter(**{f"{field}__gte": low})
    if high is not None:
        queryset = queryset.filter(**{f"{field}__lt": high})
    return queryset


class ChoicesFromHub(HubFilterSet):
    """Fills the area, category, partner and year choices from `hub_choices`;
    a list without areas (most hubs) has no area filter."""

    choice_filters: tuple[str, ...] = ()

    def limit_choices(self) -> None:
        if not self.choice_filters:
            return
        choices = hub_choices(self.access)
        fields = self.form.fields  # the form is built once, from every filter
        for name in self.choice_filters:
            if not choices[name] and name in ("area", "category"):
                del self.filters[name], fields[name]
                continue
            fields[name].choices = choices[name]  # the field adds its empty label
            self.filters[name].extra["choices"] = choices[name]


COMMISSION_COLUMNS = [
    Column("Reference", "reference", ("reference",)),
    Column("Title", "title", ("title",)),
    Column("Stage", "stage", ("status",)),
    Column("Area", "area", ("service_area__name",)),
    Column("Partner", "partner", ("partner__name",)),
    Column("Hub grant", "grant", ("hub_grant_amount",), css="num"),
]


class CommissionFilter(ChoicesFromHub):
    search_fields = ("title", "description", "reference", "partner__name")
    search_stored = True  # migration 0012_c_search
    choice_filters = ("area", "category", "partner", "year")

    stage = django_filters.ChoiceFilter(
        field_name="status", choices=Stage.choices, empty_label="All stages", label="Stage"
    )
    area = django_filters.ChoiceFilter(
        field_name="service_area", choices=[], empty_label="All areas", label="Service area"
    )
    category = django_filters.ChoiceFilter(
        field_name="service_category", choices=[], empty_label="All categories", label="Category"
    )
    partner = django_filters.ChoiceFilter(choices=[], empty_label="All partners", label="Partner")
    year = django_filters.ChoiceFilter(
        field_name="need__analysis__cycle",
        choices=[],
        empty_label="All years",
        label="Academic year",
    )
    value = django_filters.ChoiceFilter(
        method="filter_value",
        choices=[(k, v[0]) for k, v in BANDS.items()],
        empty_label="Any value",
        label="Hub grant",
    )
    waiting = django_filters.BooleanFilter(
        method="filter_waiting", widget=forms.CheckboxInput, label="Waiting on me"
    )

    def filter_value(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _band(queryset, "hub_grant_amount", value)

    def filter_waiting(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # The dashboard's own to-do rules (commissioning.selectors), not a copy.
        return queryset.filter(waiting_on_q(self.access)) if value else queryset


ANALYSIS_COLUMNS = [
    Column("Cycle", "cycle", ("cycle",)),
    Column("Title", "title", ("title",)),
    Column("Needs", "needs", ("need_count",), css="num"),
    Column("Completed", "completed", ("completed_on",)),
]


class NeedsAnalysisFilter(ChoicesFromHub):
    search_fields = ("title", "summary")
    choice_filters = ("year",)

    year = django_filters.ChoiceFilter(
        field_name="cycle", choices=[], empty_label="All years", label="Academic year"
    )
    completed = django_filters.ChoiceFilter(
        method="filter_completed",
        choices=[("yes", "Completed"), ("no", "Not yet completed")],
        empty_label="Completed or not",
        label="Completed",
    )

    def filter_completed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(completed_on__isnull=value == "no")


CALL_STATUSES = [
    ("open", "Open"),
    ("upcoming", "Not yet open"),
    ("closed", "Closed"),
]


CALL_COLUMNS = [
    Column("Call", "title", ("title",)),
    Column("Closes", "closes", ("closes_at",)),
    Column("Status"),
    Column("Received", "received", ("received",), css="num"),
]


class CallFilter(ChoicesFromHub):
    search_fields = ("title", "summary", "commission__reference")
    choice_filters = ("area", "category")

    status = django_filters.ChoiceFilter(
        method="filter_status", choices=CALL_STATUSES, empty_label="Any status", label="Status"
    )
    area = django_filters.ChoiceFilter(
        field_name="commission__service_area",
        choices=[],
        empty_label="All areas",
        label="Service area",
    )
    category = django_filters.ChoiceFilter(
        field_name="commission__service_category",
        choices=[],
        empty_label="All categories",
        label="Category",
    )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(closed_at__isnull=True, opens_at__gt=now)
        closed = Q(closed_at__isnull=False) | Q(closes_at__lte=now)
        if value == "closed":
            return queryset.filter(closed)
        return queryset.filter(~closed, opens_at__lte=now)


PROPOSAL_COLUMNS = [
    Column("Reference"),
    Column("Organisation", "partner", ("partner__name",)),
    Column("Title", "title", ("title",)),
    Column("Status", "status", ("status",)),
    Column("Received", "received", ("submitted_at",)),
    Column("Total cost", "cost", ("total_cost",), css="num"),
    Column("Hub Grant", "grant", ("hub_grant_requested",), css="num"),
    Column("Match funding", css="num"),
    Column("Files", "files", ("files",), css="num"),
]


class ProposalFilter(HubFilterSet):
    search_fields = ("title", "summary", "partner__name")

    status = django_filters.ChoiceFilter(
        choices=[c for c in ProposalStatus.choices if c[0] != ProposalStatus.DRAFT],
        empty_label="Any status",
        label="Status",
    )
    value = django_filters.ChoiceFilter(
        method="filter_value",
        choices=[(k, v[0]) for k, v in BANDS.items()],
        empty_label="Any amount",
        label="Hub grant requested",
    )

    def filter_value(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _band(queryset, "hub_grant_requested", value)
