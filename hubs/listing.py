"""What every list page shares: filters from the URL, sortable columns and
pagination, so a filtered, sorted page can be bookmarked and shared.

A list view builds its queryset from its selector (which scopes it to the
hub and the reader's role), then calls `list_page(...)` with its FilterSet
and its columns. Filters only narrow what the selector returned. An unknown
sort key is ignored (the default order is used); a filter value that is not
valid (another hub's service area, "abc" for a year) is left out with a
message beside its field, and the other filters still apply.

Templates: `includes/list_filters.html` (the form, the count, "Clear
filters") and `includes/sortable_head.html` (the header row); pagination
links keep the query string through `{% querystring %}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from hubs.search import search

PAGE_SIZE = 25
# Parameters that are not filters: changing them keeps the filters.
NOT_FILTERS = {"page", "sort"}


@dataclass(frozen=True)
class Column:
    """A table column; `sort` names the database fields it sorts by (no sort:
    a plain header)."""

    label: str
    key: str = ""
    sort: tuple[str, ...] = ()
    css: str = ""


def ordered(
    queryset: QuerySet, wanted: str, columns: Sequence[Column], default: Sequence[str]
) -> tuple[QuerySet, str]:
    """The queryset in the order asked for by `wanted` ("title" or "-title")
    when it names a sortable column, else in `default` order; the primary key
    always last, so rows never swap places between pages. Returns the sort
    key in force ("" for the default)."""
    key = wanted.removeprefix("-")
    by_key = {c.key: c for c in columns if c.sort}
    if key not in by_key:
        return queryset.order_by(*default, "pk"), ""
    descending = wanted.startswith("-")
    fields = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in by_key[key].sort
    ]
    return queryset.order_by(*fields, "-pk" if descending else "pk"), wanted


def head(columns: Sequence[Column], sort: str) -> list[dict]:
    """Header cells: the link each sortable header offers (ascending first,
    then the reverse) and its aria-sort."""
    cells = []
    for c in columns:
        current = c.key and sort.removeprefix("-") == c.key
        descending = current and sort.startswith("-")
        cells.append(
            {
                "label": c.label,
                "css": c.css,
                "key": c.key if c.sort else "",
                "next": f"-{c.key}" if current and not descending else c.key,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "hint": "sort descending" if current and not descending else "sort ascending",
            }
        )
    return cells


def filtered(request: HttpRequest) -> bool:
    return any(v for k, v in request.GET.items() if k not in NOT_FILTERS)


def _ranked_page(queryset: QuerySet, number, page_size: int) -> Page:
    """A page of search results in rank order, found by primary key alone and
    then read with their related rows: ranking a hub's every match with its
    joins (partners, needs, areas) cost more than ranking the rows alone."""
    page = Paginator(queryset.values_list("pk", flat=True), page_size).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def list_page(
    request: HttpRequest,
    filterset,
    columns: Sequence[Column],
    default: Sequence[str],
    *,
    noun: tuple[str, str],
    page_size: int = PAGE_SIZE,
) -> dict:
    """The context every list template reads: `page`, `filter`, `head`,
    `sort`, `count` words, `filtered` and the bad values left out."""
    queryset = filterset.qs
    filterset.describe_errors()
    wanted = request.GET.get("sort", "")
    if filterset.searching and not wanted:
        queryset = queryset.order_by(F("search_rank").desc(), *default, "pk")
        sort = ""
    else:
        queryset, sort = ordered(queryset, wanted, columns, default)
    if filterset.searching and not sort:
        page = _ranked_page(queryset, request.GET.get("page"), page_size)
    else:
        page = Paginator(queryset, page_size).get_page(request.GET.get("page"))
    n = page.paginator.count
    return {
        "page": page,
        "filter": filterset,
        "head": head(columns, sort),
        "sort": sort,
        "count": f"{n:,} {noun[0] if n == 1 else noun[1]} {'matches' if n == 1 else 'match'}",
        "filtered": filtered(request),
        "left_out": [f.label for f in filterset.form if f.errors],
    }


class PlainSelect(forms.Select):
    """A select whose options are written here rather than by a template
    each: the template engine's include per option made a hub's 300 partners
    the slowest part of the commission list (about 40 ms of 60)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<option value="{}" selected>{}</option>', key, label)
                    if str(key) == chosen
                    else format_html('<option value="{}">{}</option>', key, label),
                )
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


class HubFilterSet(django_filters.FilterSet):
    """A list's filters, read from the URL. `access` is the reader's standing
    in the hub: choice lists (areas, categories, partners, years) come from
    that hub only, so another hub's id is not a valid choice. Subclasses set
    `search_fields` (first field ranks highest) and fill their choices in
    `limit_choices`."""

    search_fields: tuple[str, ...] = ()
    # Whether the model has a stored search vector (hubs.search.AddStoredSearchVector).
    search_stored = False

    q = django_filters.CharFilter(label="Search", method="filter_search", max_length=200)

    def __init__(self, data, queryset, *, access, **kwargs) -> None:
        self.access = access
        super().__init__(data, queryset=queryset, **kwargs)
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                plain = PlainSelect(attrs=field.widget.attrs)
                plain.choices = field.widget.choices
                field.widget = plain
        self.limit_choices()
        for field in self.form.fields.values():
            field.required = False
            field.error_messages["invalid_choice"] = INVALID_CHOICE

    def limit_choices(self) -> None:
        """Narrow each choice field to the hub's own rows (override)."""

    def describe_errors(self) -> None:
        """Tie each message to its field, for screen readers."""
        for bound in self.form:
            if bound.errors:
                attrs = bound.field.widget.attrs
                attrs["aria-describedby"] = f"{bound.auto_id}-error"
                attrs["aria-invalid"] = "true"

    @property
    def searching(self) -> bool:
        # cleaned_data keeps the valid filters even when another is not
        return bool(self.is_bound and not self.errors.get("q") and self.form.cleaned_data.get("q"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value, self.search_fields, stored=self.search_stored)


INVALID_CHOICE = "That is not one of the choices here, so this filter was left out."
