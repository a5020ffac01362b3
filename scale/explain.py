"""The slowest queries of one page, with PostgreSQL's EXPLAIN ANALYZE.

    .venv/bin/python scale/explain.py --database-url postgres://.../hub_national \\
        --hub n01-herts --role board --path /h/n01-herts/commissions/ [--top 3]

Requests the page in-process as the first person of that role in the hub
(scale.pages.people), times every query it runs, and explains the slowest.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scale.bench import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_national")
    parser.add_argument("--hub", required=True)
    parser.add_argument("--role", default="officer")
    parser.add_argument("--path", required=True)
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="List every query, in order.")
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.db import connection
    from django.test import Client

    from hubs.models import Hub
    from scale.pages import people, session_for

    user = people(Hub.objects.get(slug=args.hub))[args.role]
    client = Client()
    client.cookies["sessionid"] = session_for(user)
    timed: list[tuple[float, str, tuple]] = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql, params))

    client.get(args.path, HTTP_HOST="127.0.0.1")  # warm caches
    timed.clear()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        response = client.get(args.path, HTTP_HOST="127.0.0.1")
    total = (time.perf_counter() - started) * 1000
    in_db = sum(t for t, _, _ in timed)
    print(
        f"{args.path} as {args.role}: {response.status_code}, {len(timed)} queries, "
        f"{in_db:.1f} ms in the database of {total:.1f} ms"
    )
    if args.all:
        for ms, sql, _ in timed:
            print(f"{ms:7.1f} ms  {sql[:160]}")
    for ms, sql, params in sorted(timed, key=lambda t: -t[0])[: args.top]:
        print(f"\n--- {ms:.1f} ms\n{sql[:600]}")
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
