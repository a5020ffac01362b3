"""Filters for a person's activity feed (hubs/listing.py): search the
subject and text, unread only. The feed stays newest first."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from hubs.listing import HubFilterSet


class NotificationFilter(HubFilterSet):
    search_fields = ("subject", "body")

    unread = django_filters.BooleanFilter(
        method="filter_unread", widget=forms.CheckboxInput, label="Unread only"
    )

    def filter_unread(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(read_at__isnull=True) if value else queryset
