"""The transition log can never be edited: a trigger refuses UPDATE (and, on
PostgreSQL, DELETE) whatever path the write takes (ORM, raw SQL, the shell).

SQLite gets no DELETE trigger: Django flushes SQLite with DELETE, so the
trigger would stop `manage.py flush` and test teardown; the model and its
queryset already refuse deletes there. PostgreSQL flushes with TRUNCATE,
which row triggers don't see."""

from django.db import migrations

TABLE = "commissioning_transitionlog"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION transitionlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The transition log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER transitionlog_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION transitionlog_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS transitionlog_no_update ON {TABLE};
DROP FUNCTION IF EXISTS transitionlog_append_only();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER transitionlog_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The transition log is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS transitionlog_no_update;",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0002_initial")]
    operations = [migrations.RunPython(up, down)]
