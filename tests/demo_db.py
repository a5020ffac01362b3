"""The five demo hubs for tests that need them, loaded once a session.

    load_demo()   # the test database now holds the demo, committed

Running `manage.py load_demo` takes 20 to 30 seconds, and a score of modules
(every browser module, the form fuzzer, the admin scoping walk) each want the
demo in an empty database. So the first call in a session empties the
database as `manage.py flush` does (sequences back to 1), runs the loader and
copies every table of ours, and each later call empties the tables again and
puts the copied rows back, with every id sequence where the loader left it.
The database after a restore is the database after `flush` + `load_demo`, row
for row and id for id (tests/test_demo_snapshot.py checks it), in about a
second.

Under pytest-xdist the workers of one run share the copy: the first worker to
need it loads the demo and writes its copy to a file of the run
(`shared_copy_path`), under a lock; the others wait for the lock and restore
from the file, so a run loads the demo once, not once per worker. Their test
databases are made by the same migrations, so one copy fits all. The folder
goes when the run ends (tests/conftest.py).

The demo writes no files today (agreement PDFs are made when first
downloaded); any file a FileField of the demo names is copied too and written
back if a test deleted it. The demo's dates come from the day it is loaded,
so a session that runs past midnight loads it afresh. Nothing else of the
demo's lives outside the database: the second-factor authenticators are rows,
and Django's cache of content types is cleared after a restore, as after a
flush.

Call it outside a transaction, with database access unblocked (a module
fixture), and empty the database at the end with `flush()` here, which leaves
it as `manage.py flush` does, quicker. Tests of the
loader itself (tests/hubs/test_demo.py, tests/monitoring/test_demo.py) run
`load_demo` and never use this.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, models, transaction
from django.utils import timezone
from guardian.shortcuts import clear_ct_cache


@dataclass
class Snapshot:
    key: tuple[Any, ...]
    # table -> (columns, rows): COPY's binary stream on PostgreSQL, a list of
    # row tuples on SQLite
    tables: dict[str, tuple[list[str], Any]] = field(default_factory=dict)
    # PostgreSQL: (sequence, last_value, is_called); SQLite: (table, seq)
    sequences: list[tuple[Any, ...]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, as taken
    files: list[tuple[Any, str, bytes]] = field(default_factory=list)  # storage, name, content
    seconds_to_load: float = 0.0


_snapshots: dict[tuple[Any, ...], Snapshot] = {}


def load_demo(using: str = "default") -> Snapshot:
    """The demo in the database `using`, committed: loaded by the loader the
    first time in a session (or on a new day), restored from its copy after."""
    connection = connections[using]
    if connection.in_atomic_block:
        # The loader's notices are delivered after its commit; inside a
        # transaction they never are, and the copy would not be the demo.
        raise RuntimeError("load the demo outside a transaction (a module fixture)")
    key = snapshot_key(using)
    snapshot = _snapshots.get(key)
    if snapshot is None:
        _snapshots.clear()  # yesterday's, or another database's
        snapshot = _snapshots[key] = shared_or_fresh(using)
    else:
        restore(snapshot, using)
    return snapshot


def shared_copy_dir(run: str | None = None) -> str | None:
    """This run's folder for the workers' shared copy (None outside xdist)."""
    run = run or os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return os.path.join(tempfile.gettempdir(), f"hubcommission-demo-{run}") if run else None


def shared_copy_path(using: str = "default") -> str | None:
    folder = shared_copy_dir()
    if folder is None:
        return None
    vendor = connections[using].vendor
    return os.path.join(folder, f"{vendor}-{using}-{timezone.localdate().isoformat()}.pickle")


def shared_or_fresh(using: str = "default") -> Snapshot:
    """The copy another worker of this run wrote (restored here), or the demo
    loaded afresh and its copy written for the others. A copy naming files is
    kept to this worker (the files are in its own MEDIA_ROOT)."""
    path = shared_copy_path(using)
    if path is None:
        return take_fresh(using)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if os.path.exists(path):
            with open(path, "rb") as copy:
                snapshot = pickle.load(copy)  # noqa: S301 (written by this run's own worker)
            snapshot.key = snapshot_key(using)
            restore(snapshot, using)
            return snapshot
        snapshot = take_fresh(using)
        if not snapshot.files:
            with open(path + ".part", "wb") as copy:
                pickle.dump(snapshot, copy, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(path + ".part", path)
        return snapshot


def snapshot_key(using: str = "default") -> tuple[Any, ...]:
    connection = connections[using]
    return (using, connection.vendor, connection.settings_dict["NAME"], timezone.localdate())


def take_fresh(using: str = "default") -> Snapshot:
    """Empty the database, run the loader and copy what it made."""
    started = time.perf_counter()
    flush(using)
    call_command("load_demo", "--quiet")
    snapshot = take(using)
    snapshot.seconds_to_load = time.perf_counter() - started
    return snapshot


def take(using: str = "default") -> Snapshot:
    """A copy of every table of ours, its id sequences and the files it names."""
    connection = connections[using]
    snapshot = Snapshot(key=snapshot_key(using))
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for table in _tables(connection):
            columns = _columns(connection, cursor, table)
            snapshot.tables[table] = (columns, _read(connection, cursor, table, columns))
        snapshot.counts = row_counts(using)
        snapshot.sequences = _read_sequences(connection, cursor, list(snapshot.tables))
    snapshot.files = _files(using)
    return snapshot


def restore(snapshot: Snapshot, using: str = "default") -> None:
    """Empty every table and put the snapshot's rows and sequences back."""
    connection = connections[using]
    tables = list(snapshot.tables)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _empty(connection, cursor, tables)
        for table, (columns, rows) in snapshot.tables.items():
            _write(connection, cursor, table, columns, rows)
        _write_sequences(connection, cursor, tables, snapshot.sequences)
    for storage, name, content in snapshot.files:
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
    # The rows came back with the copy's ids: Django's cache of content types
    # and guardian's own (cleared by post_migrate, which a restore does not
    # send) would name the ids of whatever was flushed last.
    ContentType.objects.clear_cache()
    clear_ct_cache()


def flush(using: str = "default") -> None:
    """The database as `manage.py flush` leaves it: every table of ours empty,
    every id sequence back at 1, and post_migrate's content types and
    permissions made again. Quicker on PostgreSQL, where flush truncates every
    table (a second or two): only the tables holding rows are truncated."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        call_command("flush", interactive=False, verbosity=0, database=using)
    else:
        tables = _tables(connection)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            _empty(connection, cursor, tables)
            cursor.execute(
                f"SELECT setval(quote_ident(s.relname)::regclass, 1, false) {_OWNED_SEQUENCES}",
                [tables],
            )
        emit_post_migrate_signal(verbosity=0, interactive=False, db=using)
    ContentType.objects.clear_cache()  # made again, perhaps with other ids


def row_counts(using: str = "default") -> dict[str, int]:
    """How many rows each table of ours holds."""
    connection = connections[using]
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


# --- the parts --------------------------------------------------------------
# Table, column and sequence names in the SQL below come from Django's own
# introspection of our schema, quoted by the backend (hence the noqa: S608).


def _tables(connection: Any) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _columns(connection: Any, cursor: Any, table: str) -> list[str]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND table_schema = current_schema() AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]
    # table_xinfo lists generated columns too (hidden 2 and 3): they are left out
    cursor.execute(f"PRAGMA table_xinfo({connection.ops.quote_name(table)})")
    return [row[1] for row in cursor.fetchall() if row[6] == 0]


def _empty(connection: Any, cursor: Any, tables: list[str]) -> None:
    """Delete every row of `tables`, as flush does, leaving sequences be."""
    if connection.vendor != "postgresql":
        for sql in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(sql)
        return
    # One round trip finds the tables holding rows (after a flush: the content
    # types and permissions); CASCADE takes any table referring to them, which
    # TRUNCATE would otherwise refuse, even when that table is empty.
    probes = " UNION ALL ".join(
        f"SELECT %s::text WHERE EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})"  # noqa: S608
        for table in tables
    )
    cursor.execute(probes, tables)
    holding = [row[0] for row in cursor.fetchall()]
    # Inside a longer transaction, rows just written (post_migrate's, say) still
    # have their foreign keys to check, and TRUNCATE refuses such a table:
    # check them now, as Django's check_constraints does.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in connection.ops.sql_flush(no_style(), holding, allow_cascade=True):
        cursor.execute(sql)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# Every sequence owned by a column of the tables given as %s (an array).
_OWNED_SEQUENCES = """
    FROM pg_class s
    JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
        AND d.refclassid = 'pg_class'::regclass
    JOIN pg_class tbl ON tbl.oid = d.refobjid
    WHERE s.relkind = 'S' AND tbl.relname = ANY(%s) AND pg_table_is_visible(tbl.oid)
"""


def _column_list(connection: Any, columns: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)


def _read(connection: Any, cursor: Any, table: str, columns: list[str]) -> Any:
    name, column_list = connection.ops.quote_name(table), _column_list(connection, columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {name} ({column_list}) TO STDOUT (FORMAT BINARY)"
        with cursor.copy(sql) as copy:
            return b"".join(bytes(block) for block in copy)
    cursor.execute(f"SELECT {column_list} FROM {name}")  # noqa: S608
    return cursor.fetchall()


def _write(connection: Any, cursor: Any, table: str, columns: list[str], rows: Any) -> None:
    if not rows:
        return
    name, column_list = connection.ops.quote_name(table), _column_list(connection, columns)
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {name} ({column_list}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(rows)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {name} ({column_list}) VALUES ({marks})"  # noqa: S608
    cursor.executemany(sql, rows)


def _read_sequences(connection: Any, cursor: Any, tables: list[str]) -> list[tuple[Any, ...]]:
    if connection.vendor == "postgresql":
        found = []
        for table in tables:
            for sequence in connection.introspection.get_sequences(cursor, table):
                name = connection.ops.quote_name(sequence["name"])
                cursor.execute(f"SELECT last_value, is_called FROM {name}")  # noqa: S608
                found.append((name, *cursor.fetchone()))
        return found
    cursor.execute("SELECT name, seq FROM sqlite_sequence")
    return [row for row in cursor.fetchall() if row[0] in set(tables)]


def _write_sequences(
    connection: Any, cursor: Any, tables: list[str], sequences: list[tuple[Any, ...]]
) -> None:
    if connection.vendor == "postgresql":
        # flush left them at 1 (not called); set each back where the loader left it
        for name, last_value, is_called in sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value, is_called])
        return
    marks = ", ".join(["%s"] * len(tables))
    sql = f"DELETE FROM sqlite_sequence WHERE name IN ({marks})"  # noqa: S608
    cursor.execute(sql, tables)
    cursor.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", sequences)


def _files(using: str) -> list[tuple[Any, str, bytes]]:
    """Every file a FileField of the demo names, with its content."""
    found = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.FileField):
                continue
            names = (
                model._default_manager.using(using)
                .exclude(**{model_field.attname: ""})
                .exclude(**{f"{model_field.attname}__isnull": True})
                .values_list(model_field.attname, flat=True)
            )
            for name in names:
                storage = model_field.storage
                if storage.exists(name):
                    with storage.open(name, "rb") as f:
                        found.append((storage, name, f.read()))
    return found
