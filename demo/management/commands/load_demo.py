"""Load the five demo hubs with people in every role and commissions in every
stage their policies use. Idempotent: a second run changes nothing.

The hub and its people are built by demo.cast, the commissions by
demo.pipeline; Cast, Pipeline and build_hub are importable from here too."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commissioning.models import Commission
from demo import (
    clock,
    directory_demo,
    joint_demo,
    monitoring_demo,
    notices_demo,
    oversight_demo,
    partners_demo,
    procurement_demo,
    variations_demo,
)
from demo.cast import Cast, _user, build_hub
from demo.compliance_demo import load as load_compliance
from demo.contracts_demo import load as load_contracts
from demo.data import DEMO_PASSWORD, HUBS
from demo.guard import demo_refusal
from demo.newcomers_demo import load as load_newcomers
from demo.pipeline import Pipeline

__all__ = ["Cast", "Command", "Pipeline", "build_hub"]


class Command(BaseCommand):
    help = "Load the five demo hubs (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    def handle(self, *args, quiet: bool = False, **options):
        refusal = demo_refusal("load_demo")
        if refusal:
            raise CommandError(refusal)
        all_logins: list[tuple[str, str, str]] = []
        # Each step of the demo's history is played on its own day (demo.clock).
        with transaction.atomic(), clock.running():
            clock.set_day(clock.SET_UP_DAYS_AGO)
            superuser = _user("admin@hubcommission.demo", "Site", "Administrator")
            if not superuser.is_superuser:
                superuser.is_superuser = superuser.is_staff = True
                superuser.save(update_fields=["is_superuser", "is_staff"])
            all_logins.append(("All hubs", "Site administrator", superuser.email))
            for spec in HUBS:
                cast = build_hub(spec)  # the hub was set up sixteen months ago
                load_compliance(cast)  # before the story's awards, which ask for it
                if not Commission.objects.filter(hub=cast.hub).exists():
                    Pipeline(cast).run()  # its story's partners first
                else:
                    partners_demo.load(cast)
                oversight_demo.load(cast)
                monitoring_demo.load(cast)
                procurement_demo.load(cast)  # council rules, routes, a contract's notices
                variations_demo.load(cast)  # a variation signed, revenue and capital, a meeting
                load_contracts(cast)  # Kent's KPIs rated over two quarters; BLMK's risks
                joint_demo.load(cast)  # the consortium's joint bid, awarded and signed
                load_newcomers(cast)  # a newcomer registered from a call; BLMK's outreach
                directory_demo.load(cast)  # meetings, a former partner, documents, contact
                all_logins += [(cast.hub.name, role, email) for role, email in cast.logins]
                clock.set_day(clock.SET_UP_DAYS_AGO)
            clock.now_playing()
            notices_demo.load()
        if not quiet:
            self._print_logins(all_logins)

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo loaded: five hubs."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        self.stdout.write(
            "HLO staff, service leads, approvers, chairs and hub admins also need a code: "
            "python manage.py demo_code"
        )
        current = None
        for hub, role, email in logins:
            if hub != current:
                self.stdout.write(f"\n  {hub}")
                current = hub
            self.stdout.write(f"    {role:<34} {email}")
