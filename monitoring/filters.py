"""Filters for monitoring's lists: reports and complaints. Each narrows what
its selector returned (hub- and role-scoped); see hubs/listing.py."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.filters import ChoicesFromHub
from hubs.listing import Column
from monitoring.models import Complaint, ComplaintStatus, ReportKind, ReportStatus

REPORT_COLUMNS = [
    Column("Report", "title", ("title",)),
    Column("Commission", "commission", ("commission__reference",)),
    Column("Partner", "partner", ("commission__partner__name",)),
    Column("Due", "due", ("due_on",)),
    Column("Status", "status", ("status",)),
]


class ReportFilter(ChoicesFromHub):
    search_fields = (
        "title",
        "commission__title",
        "commission__reference",
        "commission__partner__name",
    )
    choice_filters = ("partner",)

    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices, empty_label="Any status", label="Status"
    )
    kind = django_filters.ChoiceFilter(
        choices=ReportKind.choices, empty_label="Any kind", label="Kind of report"
    )
    partner = django_filters.ChoiceFilter(
        field_name="commission__partner", choices=[], empty_label="All partners", label="Partner"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", widget=forms.CheckboxInput, label="Overdue only"
    )

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status=ReportStatus.DUE, due_on__lt=timezone.localdate())


COMPLAINT_COLUMNS = [
    Column("Raised by", "raised_by", ("raised_by",)),
    Column("Commission", "commission", ("commission__reference",)),
    Column("Partner", "partner", ("commission__partner__name",)),
    Column("Received", "received", ("received_on",)),
    Column("Status", "status", ("status",)),
]


class ComplaintFilter(ChoicesFromHub):
    search_fields = (
        "summary",
        "raised_by",
        "commission__title",
        "commission__reference",
        "commission__partner__name",
    )
    choice_filters = ("partner",)

    status = django_filters.ChoiceFilter(
        choices=ComplaintStatus.choices, empty_label="Any status", label="Status"
    )
    kind = django_filters.ChoiceFilter(
        choices=Complaint.Kind.choices, empty_label="Complaints and grievances", label="Kind"
    )
    partner = django_filters.ChoiceFilter(
        field_name="commission__partner", choices=[], empty_label="All partners", label="Partner"
    )
