"""Benchmark: each role's main pages served by gunicorn on PostgreSQL.

    .venv/bin/python scale/bench.py --label demo \\
        --database-url postgres://postgres@127.0.0.1:5432/hub_scale_demo --hubs herts,blmk
    .venv/bin/python scale/bench.py --label national \\
        --database-url postgres://postgres@127.0.0.1:5432/hub_national \\
        --hubs n01-herts,n03-blmk

Add `--cache-url redis://127.0.0.1:6379/<n>` (a Redis database of the
benchmark's own: it is emptied first) to serve with the shared cache that
production has (the person's standing in the hub and their unread count,
hubs.standing_cache); without it each gunicorn worker keeps its own memory
cache. Run it niced on a shared machine (`nice .venv/bin/python ...`): the
floor is measured again before every list page, so the ratios hold when the
machine is busy; the milliseconds do not.

For every page: median and p95 latency over --requests sequential requests
from one client, the queries per request (the X-Queries header that
config/settings/bench.py adds), and, for list pages and dashboards, the
throughput of --clients concurrent clients over --seconds as a ratio of the
floor page's (same middleware, session and base template, no data), measured
just before it with the same session. Results go to
scale/results/bench-<label>.json, and BENCHMARK.md's table is rebuilt from
every results file there.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale.bench_table import BENCHMARK, RESULTS, merged, write_benchmark  # noqa: E402


def setup_django(database_url: str, cache_url: str = "") -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    if cache_url:
        os.environ["CACHE_URL"] = cache_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    # Bench databases follow the code: other apps add tables as they land.
    call_command("migrate", verbosity=0)
    # Nothing cached by an earlier run (or for another database) is served.
    if cache_url:
        cache.clear()


# ── the server ───────────────────────────────────────────────────────────────
class Server:
    """gunicorn serving config.wsgi with the bench settings, on loopback."""

    def __init__(
        self, database_url: str, port: int, workers: int, threads: int, cache_url: str = ""
    ) -> None:
        self.port = port
        env = {
            **os.environ,
            "CACHE_URL": cache_url,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        }
        self.process = subprocess.Popen(  # noqa: S603 (our own argv)
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                f"--threads={threads}",
                # Sync workers, as in production (Dockerfile). django-fsm-2's
                # refresh_from_db is not thread-safe: see BENCHMARK.md.
                f"--worker-class={'sync' if threads == 1 else 'gthread'}",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = fetch(self.port, "/healthz/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz/ within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ── one client ───────────────────────────────────────────────────────────────
def fetch(
    port: int,
    path: str,
    session_key: str | None = None,
    conn: http.client.HTTPConnection | None = None,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Host": "127.0.0.1", **(headers or {})}
    if session_key:
        sent["Cookie"] = f"sessionid={session_key}" + (
            f"; {sent.pop('Cookie')}" if "Cookie" in sent else ""
        )
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        if own:
            conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def latency(port: int, session_key: str, path: str, n: int) -> dict:
    """n sequential requests on one keep-alive connection (after two to warm up)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, queries, statuses = [], set(), set()
    try:
        for i in range(n + 2):
            started = time.perf_counter()
            try:
                status, headers, _ = fetch(port, path, session_key, conn)
            except (OSError, http.client.HTTPException):
                status, headers = 599, {}  # the server broke off the response
                conn.close()
            elapsed = (time.perf_counter() - started) * 1000
            statuses.add(status)
            if i >= 2:
                times.append(elapsed)
                queries.add(int(headers.get("x-queries", -1)))
    finally:
        conn.close()
    return {
        "status": sorted(statuses),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": sorted(queries),
    }


def throughput(port: int, session_key: str, path: str, clients: int, seconds: float) -> float:
    """Requests per second from `clients` concurrent keep-alive clients."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.monotonic() < stop:
                status, _, _ = fetch(port, path, session_key, conn)
                if status == 200:
                    done[i] += 1
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


# ── the run ──────────────────────────────────────────────────────────────────
def policy_of(slug: str) -> str:
    """The demo policy a hub runs ("n01-herts" and "herts" both run herts')."""
    return re.sub(r"^n\d+-", "", slug)


def measure(args: argparse.Namespace) -> dict:
    setup_django(args.database_url, args.cache_url)
    from commissioning.models import Commission
    from hubs.models import Hub
    from scale.pages import focused, pages_for, people, session_for

    commissions = Commission.objects.count()
    server = Server(args.database_url, args.port, args.workers, args.threads, args.cache_url)
    rows = []
    try:
        for slug in args.hubs.split(","):
            hub = Hub.objects.get(slug=slug)
            cast = people(hub)
            sessions = {role: session_for(user) for role, user in cast.items()}
            floor_session = sessions["officer"]
            floor = latency(args.port, floor_session, "/bench/floor/", args.requests)
            floor_rps = throughput(
                args.port, floor_session, "/bench/floor/", args.clients, args.seconds
            )
            rows.append(
                {
                    "policy": policy_of(slug),
                    "hub": slug,
                    "role": "officer",
                    "page": "floor",
                    "path": "/bench/floor/",
                    **floor,
                    "rps": round(floor_rps, 1),
                    "ratio": 1.0,
                }
            )
            print(f"{slug} floor: {floor} {floor_rps:.1f} rps", flush=True)
            for page in focused(pages_for(hub, set(cast)), policy_of(slug)):
                if args.only and not any(word in page.name for word in args.only):
                    continue
                result = latency(args.port, sessions[page.role], page.path, args.requests)
                row = {
                    "policy": policy_of(slug),
                    "hub": slug,
                    "role": page.role,
                    "page": page.name,
                    "path": page.path,
                    **result,
                }
                if result["status"] != [200]:
                    row["skipped"] = True
                elif page.is_list:
                    # The floor again just before, with the same person's
                    # session: on a shared machine the load changes by the minute.
                    floor_now = throughput(
                        args.port, sessions[page.role], "/bench/floor/", args.clients, args.seconds
                    )
                    rps = throughput(
                        args.port, sessions[page.role], page.path, args.clients, args.seconds
                    )
                    row |= {
                        "rps": round(rps, 1),
                        "floor_rps": round(floor_now, 1),
                        "ratio": round(rps / floor_now, 2),
                    }
                rows.append(row)
                print(f"{slug} {page.role} {page.name}: {row}", flush=True)
    finally:
        server.stop()
    return {
        "label": args.label,
        "database": args.database_url.rsplit("/", 1)[-1],
        "commissions": commissions,
        "ran_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "requests": args.requests,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": f"{args.workers}x{args.threads}",
        "cache": "Redis" if args.cache_url else "memory, per worker",
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", default="demo")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/hub_scale_demo"
    )
    parser.add_argument("--hubs", default="herts,blmk")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("CACHE_URL", ""),
        help="Redis for the shared cache, as in production (emptied first; default $CACHE_URL).",
    )
    parser.add_argument("--table-only", action="store_true", help="Rebuild BENCHMARK.md only.")
    parser.add_argument(
        "--only",
        type=lambda text: [w.strip() for w in text.split(",") if w.strip()],
        default=[],
        help="Measure only pages whose name contains one of these (comma-separated), "
        "and merge them into the label's last results.",
    )
    args = parser.parse_args()
    if not args.table_only:
        result = measure(args)
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"bench-{args.label}.json"
        if args.only and path.exists():
            result = merged(json.loads(path.read_text()), result, args.only)
        path.write_text(json.dumps(result, indent=1))
    write_benchmark()
    print(f"Wrote {BENCHMARK.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
