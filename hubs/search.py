"""Search for every list: one helper, `search(queryset, text, fields)`.

On PostgreSQL it is full-text search: the fields' words (English stemming,
so "ensembles" finds "ensemble") matched against what was typed in web-search
syntax ("singing -choir", "early years" in quotes, "or"), ranked by the
first field, so a title match comes before a match in the scope or a
partner's name. On SQLite (the embedded default) it is a plain
case-insensitive contains: every word typed must appear in one of the fields,
and a match in the first field ranks first.

The vector over a model's own fields is the same expression as the GIN index
each searched model has (`vector(...)` here and the `*_c_search` migrations;
tests/hubs/test_search.py checks the planner uses it), so a search reads the
index instead of every row's text.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce

from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import Col, Expression

CONFIG = "english"
STORED_COLUMN = "search_vector"
WEIGHTS = "ABCD"
# Long pasted text is cut: nobody searches with a paragraph, and the query
# plan should not grow with what was typed.
MAX_TERMS = 8
MAX_LENGTH = 200


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def vector(fields: Sequence[str]):
    """The weighted search vector over `fields`, first field weighted A."""
    from django.contrib.postgres.search import SearchVector

    parts = [
        SearchVector(name, weight=WEIGHTS[min(i, len(WEIGHTS) - 1)], config=CONFIG)
        for i, name in enumerate(fields)
    ]
    return reduce(operator.add, parts)


def cleaned(text: str | None) -> str:
    return " ".join((text or "").split())[:MAX_LENGTH]


def search(
    queryset: QuerySet, text: str | None, fields: Sequence[str], *, stored: bool = False
) -> QuerySet:
    """`queryset` narrowed to rows matching `text` in any of `fields`, with a
    `search_rank` annotation (higher is better). Nothing typed: unchanged,
    and ranked 0, so callers can always sort by rank. `stored`: the model
    has a stored vector of its own fields (`STORED_COLUMN`, see
    AddStoredSearchVector) on PostgreSQL, read instead of computed."""
    text = cleaned(text)
    if not text:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if on_postgres():
        return _full_text(queryset, text, fields, stored)
    return _contains(queryset, text, fields)


class StoredVector(Expression):
    """The model's stored search vector column: not a model field (SQLite
    has none), so it is named here, on the query's own table."""

    def resolve_expression(self, query=None, *args, **kwargs):
        from django.contrib.postgres.search import SearchVectorField

        field = SearchVectorField()
        field.set_attributes_from_name(STORED_COLUMN)
        field.model = query.model
        return Col(query.get_initial_alias(), field)


def _full_text(queryset: QuerySet, text: str, fields: Sequence[str], stored: bool) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    own = [f for f in fields if "__" not in f]
    related = [f for f in fields if "__" in f]
    if stored:
        # The stored vector is cheap to read for each of a hub's rows, so the
        # own fields are matched in place and ranked by every field's weight.
        matches = Q(_own=query)
        for name in related:
            scoped = queryset.order_by().values("pk")
            matches |= Q(pk__in=scoped.alias(_related=vector([name])).filter(_related=query))
        queryset = queryset.alias(_own=StoredVector())
        return queryset.filter(matches).annotate(search_rank=SearchRank(StoredVector(), query))
    # Each part is a subquery of the (hub- and role-scoped) queryset itself:
    # the model's own fields through their GIN index, bitmap-and'ed with the
    # hub's; each related field (a partner's name) on its own, since an
    # index cannot span a join.
    scoped = queryset.order_by().values("pk")
    matches = Q()
    if own:
        matches |= Q(pk__in=scoped.alias(_own=vector(own)).filter(_own=query))
    for name in related:
        matches |= Q(pk__in=scoped.alias(_related=vector([name])).filter(_related=query))
    # Ranked by the first field alone: a title match first, the closer match
    # higher. Ranking on every field would build each matching row's whole
    # vector again (a hub's 2,000 rows when a word is in every title).
    rank = SearchRank(vector(fields[:1]), query)
    return queryset.filter(matches).annotate(search_rank=rank)


def _contains(queryset: QuerySet, text: str, fields: Sequence[str]) -> QuerySet:
    terms = text.split()[:MAX_TERMS]

    def anywhere(term: str) -> Q:
        return reduce(operator.or_, (Q(**{f"{name}__icontains": term}) for name in fields))

    every_term = reduce(operator.and_, (anywhere(term) for term in terms))
    in_first = reduce(operator.and_, (Q(**{f"{fields[0]}__icontains": t}) for t in terms))
    rank = Case(When(in_first, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
    return queryset.filter(every_term).annotate(search_rank=rank)


def by_rank(queryset: QuerySet, *then: str) -> QuerySet:
    """Best match first, then `then`, then the primary key (a stable order)."""
    return queryset.order_by(F("search_rank").desc(), *then, "pk")


class AddSearchIndex(Operation):
    """A GIN index over a model's search vector (`vector(fields)`), made on
    PostgreSQL only. It stays out of the model state on purpose: SQLite has
    no GIN indexes, and it rebuilds a table from the state's indexes when a
    later migration alters a column."""

    reversible = True

    def __init__(self, model_name: str, name: str, fields: Sequence[str]) -> None:
        self.model_name = model_name
        self.name = name
        self.fields = list(fields)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "name": self.name, "fields": self.fields}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state) -> None:
        pass

    def _index(self):
        from django.contrib.postgres.indexes import GinIndex

        return GinIndex(vector(self.fields), name=self.name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_index(model, self._index())

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, self._index())

    def describe(self) -> str:
        return f"Search index {self.name} on {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.name.lower()}"


class AddStoredSearchVector(AddSearchIndex):
    """A stored, generated `search_vector` column holding `vector(fields)`,
    with a GIN index `name` on it, on PostgreSQL only (outside the model
    state, like AddSearchIndex). Reading it costs nothing per row, where the
    expression index's vector is built again for each row a query ranks.

    PostgreSQL refuses to change the type of a column a generated column
    reads: a migration altering one of `fields` must drop this first (its
    reverse) and add it again after."""

    def _expression(self) -> str:
        parts = [
            f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({name}::text, '')), "
            f"'{WEIGHTS[min(i, len(WEIGHTS) - 1)]}')"
            for i, name in enumerate(self.fields)
        ]
        return " || ".join(parts)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {STORED_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({self._expression()}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(self.name)} ON {quote(table)} USING gin ({STORED_COLUMN})"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} DROP COLUMN {STORED_COLUMN}"
        )

    def describe(self) -> str:
        return f"Stored search vector and index {self.name} on {self.model_name} (PostgreSQL)"
