"""The partner directory's filters and columns (hubs/listing.py): search,
the partner's standing, partnership type, kind of organisation, specialism
and service area. Each filter has its index (partners migration
0003_d_directory: hub and type, kind, meeting, former; the GIN index over
the searched fields; the specialisms' link table by specialism)."""

from __future__ import annotations

import django_filters
from django.db.models import CharField, F, QuerySet, Value

from hubs.listing import Column, HubFilterSet
from hubs.models import ServiceArea
from partners.directory.selectors import STATUS_Q, STATUSES
from partners.models import OrganisationType, Specialism
from partners.types import type_choices

# The same fields, in the same order, as the GIN index (migration 0003_d_directory).
SEARCH_FIELDS = ("name", "org_id", "charity_number", "company_number")

PARTNER_COLUMNS = [
    Column("Organisation", "name", ("name",)),
    Column("Partnership type", "type", ("partnership_type",)),
    Column("Kind", "kind", ("organisation_type",)),
    Column("Area", "area", ("service_area__name",)),
    Column("Specialisms"),
    Column("Status"),
]


def _choices(hub) -> dict[str, list[tuple[str, str]]]:
    """The hub's service areas and the specialisms, in one query."""

    def rows(queryset, kind: str):
        return (
            queryset.order_by()
            .annotate(kind=Value(kind, output_field=CharField()), label=F("name"))
            .values_list("kind", "pk", "label")
        )

    found: dict[str, list[tuple[str, str]]] = {"area": [], "specialism": []}
    union = rows(ServiceArea.objects.filter(hub=hub), "area").union(
        rows(Specialism.objects.all(), "specialism"), all=True
    )
    for kind, pk, label in union:
        found[kind].append((str(pk), label))
    for choices in found.values():
        choices.sort(key=lambda choice: choice[1].casefold())
    return found


class PartnerFilter(HubFilterSet):
    search_fields = SEARCH_FIELDS

    status = django_filters.ChoiceFilter(
        method="filter_status", choices=STATUSES, empty_label="Any status", label="Status"
    )
    type = django_filters.ChoiceFilter(
        field_name="partnership_type", choices=[], empty_label="All types", label="Partnership type"
    )
    kind = django_filters.ChoiceFilter(
        field_name="organisation_type",
        choices=OrganisationType.choices,
        empty_label="All kinds",
        label="Kind of organisation",
    )
    specialism = django_filters.ChoiceFilter(
        field_name="specialisms", choices=[], empty_label="Any specialism", label="Specialism"
    )
    area = django_filters.ChoiceFilter(
        field_name="service_area", choices=[], empty_label="All areas", label="Service area"
    )

    def __init__(self, data, queryset, *, access, policy, **kwargs) -> None:
        self.policy = policy
        super().__init__(data, queryset, access=access, **kwargs)

    def limit_choices(self) -> None:
        found = _choices(self.access.hub)
        found["type"] = type_choices(self.policy) if self.policy is not None else []
        fields = self.form.fields
        for name in ("type", "specialism", "area"):
            if not found[name] and name == "area":
                del self.filters[name], fields[name]
                continue
            fields[name].choices = found[name]
            self.filters[name].extra["choices"] = found[name]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(STATUS_Q[value])
