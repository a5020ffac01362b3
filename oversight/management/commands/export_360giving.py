"""Write a hub's awarded commissions as 360Giving JSON and CSV files.

manage.py export_360giving herts --out exports/
manage.py export_360giving --all --out exports/
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubs.models import Hub
from oversight import giving


class Command(BaseCommand):
    help = "Write 360Giving JSON and CSV files of awarded commissions, for one hub or all."

    def add_arguments(self, parser):
        parser.add_argument("hub", nargs="?", help="The hub's slug, e.g. herts.")
        parser.add_argument("--all", action="store_true", help="Every hub.")
        parser.add_argument("--out", default=".", help="Folder to write to (default: here).")

    def handle(self, *args, hub: str | None, all: bool, out: str, **options):
        if bool(hub) == bool(all):
            raise CommandError("Name one hub's slug, or give --all.")
        hubs = Hub.objects.order_by("slug") if all else Hub.objects.filter(slug=hub)
        if not all and not hubs.exists():
            raise CommandError(f"No hub has the slug {hub!r}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for each in hubs:
            if not giving.has_grants(each):
                self.stdout.write(f"{each.slug}: no awarded partnerships yet; nothing written.")
                continue
            for suffix, chunks in (("json", giving.package_json), ("csv", giving.package_csv)):
                path = folder / f"{each.slug}-360giving.{suffix}"
                with path.open("w", encoding="utf-8", newline="") as f:
                    f.writelines(chunks(each))
                self.stdout.write(f"{each.slug}: wrote {path}")
