"""manage.py national_dataset: every hub in England, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub_national \\
        .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=... .venv/bin/python manage.py national_dataset

Build it in a database of its own: it adds about a million rows. Its people
share the demo's published password, so like load_demo it runs only with
DEBUG on (demo.guard).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.guard import demo_refusal
from scale.national import Sizes, build_national


class Command(BaseCommand):
    help = "Build the national-scale dataset (43 hubs by default) with bulk inserts."

    def add_arguments(self, parser):
        defaults = Sizes()
        parser.add_argument("--hubs", type=int, default=defaults.hubs)
        parser.add_argument("--partners", type=int, default=defaults.partners)
        parser.add_argument("--commissions", type=int, default=defaults.commissions)
        parser.add_argument("--needs", type=int, default=defaults.needs)
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="For small trial runs only."
        )

    def handle(self, *args, **options):
        refusal = demo_refusal("national_dataset")
        if refusal:
            raise CommandError(refusal)
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError("Build the national dataset on PostgreSQL (set DATABASE_URL).")
        sizes = Sizes(
            hubs=options["hubs"],
            partners=options["partners"],
            commissions=options["commissions"],
            needs=options["needs"],
        )
        started = time.monotonic()
        counts = build_national(sizes, log=self.stdout.write)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.monotonic() - started
        for label, n in sorted(counts.rows.items()):
            self.stdout.write(f"  {label:<40} {n:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"{counts.total:,} rows in {seconds:.0f} s ({sizes.hubs} hubs).")
        )
