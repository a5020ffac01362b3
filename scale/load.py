"""Load test: concurrent clients reading and writing across hubs, on loopback.

    .venv/bin/python scale/load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hub_national --clients 50 --seconds 60
    # with a fault part-way through (keep outages short on a shared machine):
    .venv/bin/python scale/load.py ... --fault postgres --fault-at 20
    .venv/bin/python scale/load.py ... --fault redis --fault-at 20

Each client signs in as a hub's officer (a session made directly in the
database and, for a role that needs a second factor, marked as having used
the person's authenticator app, as allauth marks it after a code:
scale.pages.session_for) and, in a loop, reads the dashboard, the commission
list (with filters and pages) and commissions' pages, or writes: a move through the
commission page's form (start identifying a partner, or withdraw with a
reason), and any other write form the app gains (see WRITES). Every write that
gets a success response is recorded by its identity; afterwards the database
must hold each exactly once, and nothing else written by the run.

One move in ten repeats a move another client has just made, so two race for
one commission: only one may succeed (the other is refused, 400).

Pass/fail: zero 5xx outside a fault window; no request sent to sign in or
to the second factor's code page (officers' sessions are marked as having
used it, as allauth marks them); some writes, and every recorded success in
the database exactly once. A fault run also reports how the app answered during
the outage (the friendly error page) and how long it took to recover.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scale.bench import Server, percentile, setup_django
from scale.load_clients import LoadClient, Shared, Target

MARKER = re.compile(r"load-\d+-[0-9a-f]{12}")  # in each comment and report written
PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect {version} main restart"


def prepare(hubs: list[str], clients: int) -> tuple[list[dict], dict]:
    """Sessions, CSRF secrets and what each client may write to: officers
    move commissions, board members comment on agreements with the board,
    partner contacts submit their due reports. Three clients in five are
    officers, one a board member, one a partner contact."""
    from django.middleware.csrf import _get_new_csrf_string

    from agreements.models import Agreement, AgreementStatus
    from commissioning.models import Commission
    from commissioning.selectors import BOARD_SEES
    from commissioning.workflow import Stage
    from hubs.models import Hub, Membership, Role
    from monitoring.models import Report, ReportStatus
    from scale.pages import people, session_for

    writable: dict[tuple[str, str], list[Target]] = {}
    per_hub = {}
    for slug in hubs:
        hub = Hub.objects.get(slug=slug)
        cast = people(hub)
        refs = list(
            Commission.objects.filter(hub=hub)
            .order_by("?")
            .values_list("reference", flat=True)[:200]
        )
        board_refs = list(
            Commission.objects.filter(hub=hub, status__in=BOARD_SEES)
            .order_by("?")
            .values_list("reference", flat=True)[:200]
        )
        open_ones = Commission.objects.filter(
            hub=hub, status__in=[Stage.NEEDS, Stage.IDENTIFY, Stage.DRAFT]
        ).values_list("reference", "status")[:300]
        writable[(slug, "officer")] = [Target(slug, ref, stage) for ref, stage in open_ones]
        with_board = Agreement.objects.filter(
            hub=hub, status=AgreementStatus.BOARD_COMMENT, period_number=1
        ).values_list("commission__reference", flat=True)[:300]
        writable[(slug, "board")] = [Target(slug, ref, "", "comment") for ref in with_board]
        due = Report.objects.filter(
            hub=hub, status__in=[ReportStatus.DUE, ReportStatus.RETURNED]
        ).values_list("pk", "commission__reference", "commission__partner_id")
        by_partner: dict[int, list[Target]] = {}
        for pk, ref, partner_id in due:
            by_partner.setdefault(partner_id, []).append(Target(slug, ref, "", "report", pk))
        partners = sorted(by_partner, key=lambda p: -len(by_partner[p]))[:4]
        contacts = {
            m.partner_id: m.user
            for m in Membership.objects.filter(
                hub=hub, role=Role.PARTNER_CONTACT, partner_id__in=partners
            ).select_related("user")
        }
        for partner_id in partners:
            writable[(slug, f"partner{partner_id}")] = by_partner[partner_id]
        per_hub[slug] = {
            "cast": cast,
            "refs": refs,
            "board_refs": board_refs,
            "partners": partners,
            "contacts": contacts,
        }

    setups = []
    for n in range(clients):
        slug = hubs[n % len(hubs)]
        h = per_hub[slug]
        role = ["officer", "officer", "officer", "board", "partner"][(n // len(hubs)) % 5]
        if role == "board" and "board" in h["cast"]:
            user, pool = h["cast"]["board"], (slug, "board")
        elif role == "partner" and h["partners"]:
            partner_id = h["partners"][n % len(h["partners"])]
            user, pool = h["contacts"][partner_id], (slug, f"partner{partner_id}")
        else:
            role, user, pool = "officer", h["cast"]["officer"], (slug, "officer")
        setups.append(
            {
                "hub": slug,
                "role": role,
                "pool": pool,
                "user": user,
                "refs": h["board_refs"] if role == "board" else h["refs"],
                "session": session_for(user),
                "csrf": _get_new_csrf_string(),
            }
        )
    return setups, writable


def fault(kind: str, outage: float, log: list[str]) -> dict:
    """Restart PostgreSQL, or stop Redis for `outage` seconds and start it again."""
    t0 = time.monotonic()
    if kind == "postgres":
        version = next(Path("/etc/postgresql").iterdir()).name
        subprocess.run(PG_RESTART.format(version=version).split(), check=True)  # noqa: S603
    elif kind == "redis":
        subprocess.run(["redis-cli", "shutdown", "nosave"], check=False)  # noqa: S607
        time.sleep(outage)
        subprocess.run(
            [  # noqa: S607
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
    took = time.monotonic() - t0
    checks = {
        "pg_isready": subprocess.run(["pg_isready", "-h", "127.0.0.1"], capture_output=True)  # noqa: S607
        .stdout.decode()
        .strip(),
        "redis_ping": subprocess.run(["redis-cli", "ping"], capture_output=True)  # noqa: S607
        .stdout.decode()
        .strip(),
    }
    log.append(f"{kind} fault took {took:.1f} s; after: {checks}")
    return {"kind": kind, "seconds": round(took, 1), **checks}


def verify(shared: Shared, run_started_at, actors: set[int]) -> dict:
    """Every success in the database exactly once, and no write beyond them."""
    from django.db.models import Count

    from agreements.models import BoardComment
    from commissioning.models import TransitionLog
    from monitoring.models import Report

    in_db: dict[tuple, int] = {}
    logs = (
        TransitionLog.objects.filter(
            created_at__gte=run_started_at,
            actor_id__in=actors,
            action__in=["withdraw", "begin_identification"],
        )
        .values("hub__slug", "commission__reference", "action")
        .annotate(n=Count("pk"))
    )
    for r in logs:
        in_db[("move", r["hub__slug"], r["commission__reference"], r["action"])] = r["n"]
    for ok in {s for s in shared.successes if s[0] != "move"}:
        kind, _, _, marker = ok
        if kind == "comment":
            n = BoardComment.objects.filter(body__contains=marker).count()
        else:
            n = Report.objects.filter(activities__contains=marker, status="submitted").count()
        in_db[ok] = n
    comments = BoardComment.objects.filter(created_at__gte=run_started_at, body__contains="load-")
    reports = Report.objects.filter(submitted_at__gte=run_started_at, activities__contains="load-")
    recorded = {s[3] for s in shared.successes if s[0] != "move"}
    written = [MARKER.search(c.body) for c in comments]
    written += [MARKER.search(r.activities) for r in reports]
    unrecorded = [m.group() for m in written if m and m.group() not in recorded]
    ok = set(shared.successes)
    by_kind = Counter(s[0] for s in shared.successes)
    return {
        "successes": len(shared.successes),
        "successes_by_kind": dict(by_kind),
        "duplicated_successes": len(shared.successes) - len(ok),
        "missing_in_db": sorted(k for k in ok if not in_db.get(k))[:10],
        "more_than_once_in_db": sorted(k for k, n in in_db.items() if n > 1)[:10],
        "in_db_without_success_response": sorted([k for k in in_db if k not in ok] + unrecorded)[
            :10
        ],
        "in_db_without_success_response_count": len([k for k in in_db if k not in ok])
        + len(unrecorded),
    }


def _recovered(timeline: list[tuple[float, int]], errors: list) -> float | None:
    """Seconds into the run of the first success after the last 5xx."""
    if not errors:
        return None
    last = max(e[0] for e in errors)
    after = [t for t, status in timeline if t > last and status < 400]
    return round(min(after), 1) if after else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_national")
    parser.add_argument("--hubs", default=",".join(f"n{n:02d}" for n in range(1, 11)))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--fault", choices=["none", "postgres", "redis"], default="none")
    parser.add_argument("--fault-at", type=float, default=20)
    parser.add_argument("--outage", type=float, default=5, help="Redis down for this long.")
    parser.add_argument("--out", default="", help="Write the results as JSON here too.")
    args = parser.parse_args()

    import os

    os.environ["REDIS_URL"] = args.redis_url
    setup_django(args.database_url)
    from django.utils import timezone

    from hubs.models import Hub

    hubs = []
    for prefix in args.hubs.split(","):
        hub = Hub.objects.filter(slug__startswith=prefix).order_by("slug").first()
        if hub is not None:
            hubs.append(hub.slug)
    if not hubs:  # not the national dataset (n01-...): the demo's hubs, say
        hubs = list(Hub.objects.order_by("slug").values_list("slug", flat=True)[:10])
    setups, writable = prepare(hubs, args.clients)
    actors = {s["user"].pk for s in setups}
    server = Server(args.database_url, args.port, args.workers, args.threads)
    shared = Shared(writable=writable)
    log: list[str] = []
    run_started_at = timezone.now()
    started = time.monotonic()
    stop_at = started + args.seconds
    clients = [
        LoadClient(n, args.port, s, s["session"], s["csrf"], s["refs"], shared, stop_at, started)
        for n, s in enumerate(setups)
    ]
    fault_result = None
    fault_window = (None, None)
    try:
        for c in clients:
            c.start()
        if args.fault != "none":
            time.sleep(args.fault_at)
            t0 = time.monotonic() - started
            fault_result = fault(args.fault, args.outage, log)
            fault_window = (t0, time.monotonic() - started)
        for c in clients:
            c.join()
    finally:
        server.stop()
    elapsed = time.monotonic() - started
    errors = shared.errors
    # This process's own connection may have died with a PostgreSQL restart;
    # health checks only run around requests, so start a fresh one.
    from django.db import connection

    connection.close()
    outside = [
        e
        for e in errors
        if fault_window[0] is None or not (fault_window[0] - 1 <= e[0] <= fault_window[1] + 30)
    ]
    after_fault = [e for e in errors if fault_window[1] is not None and e[0] > fault_window[1]]
    result = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "hubs": hubs,
        "requests": sum(shared.statuses.values()),
        "requests_per_second": round(sum(shared.statuses.values()) / elapsed, 1),
        "statuses": dict(sorted(shared.statuses.items())),
        "median_ms": round(percentile(shared.latencies, 0.5), 1) if shared.latencies else None,
        "p95_ms": round(percentile(shared.latencies, 0.95), 1) if shared.latencies else None,
        "writes_refused": shared.writes_refused,
        "sent_to_sign_in": shared.sent_to_sign_in,
        "5xx": len(errors),
        "5xx_friendly_page": sum(1 for e in errors if e[3]),
        "5xx_outside_fault": len(outside),
        "fault": fault_result,
        "fault_window_s": [round(x, 1) if x is not None else None for x in fault_window],
        "last_5xx_at_s": round(max((e[0] for e in errors), default=0), 1),
        "5xx_after_fault_ended": len(after_fault),
        "5xx_by_second": dict(Counter(int(e[0]) for e in errors)),
        "first_success_after_last_5xx_s": _recovered(shared.timeline, errors),
        "verify": verify(shared, run_started_at, actors),  # on a fresh connection (below)
        "log": log,
    }
    print(json.dumps(result, indent=1, default=str))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    v = result["verify"]
    passed = (
        not outside
        and not shared.sent_to_sign_in
        and v["successes"] > 0
        and not v["missing_in_db"]
        and not v["more_than_once_in_db"]
        and not v["duplicated_successes"]
    )
    print("PASS" if passed else "FAIL")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
