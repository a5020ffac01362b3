"""BENCHMARK.md's table, rebuilt from scale/results/bench-*.json (see bench.py):
each page's queries, median and p95 latency and throughput against the floor
page, with the targets a page misses marked."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "scale" / "results"
BENCHMARK = ROOT / "BENCHMARK.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
TARGET_QUERIES, TARGET_P95_MS, TARGET_RATIO = 15, 150, 0.5
TARGET_EXPORT_MS = 2000  # a hub's whole export (360Giving, reports CSV) streams in 2 s


def merged(before: dict, partial: dict, only: list[str]) -> dict:
    """The label's last full run with a partial run's rows in place of (or
    beside) its own; the partial run is recorded, so the table says when
    those rows were measured."""
    fresh = {(r["hub"], r["role"], r["page"]) for r in partial["rows"] if r["page"] != "floor"}
    rows = [r for r in before["rows"] if (r["hub"], r["role"], r["page"]) not in fresh]
    rows += [r for r in partial["rows"] if r["page"] != "floor"]
    note = {
        "ran_at": partial["ran_at"],
        "pages": only,
        "commissions": partial["commissions"],
        # The floor page then: how loaded the machine was, beside the full run's.
        "floor_ms": {r["hub"]: r["median_ms"] for r in partial["rows"] if r["page"] == "floor"},
    }
    runs = [r for r in before.get("partial_runs", []) if r["pages"] != only]
    return before | {"rows": rows, "partial_runs": [*runs, note]}


# ── the table ────────────────────────────────────────────────────────────────
def _p95_target(page: str) -> int:
    return TARGET_EXPORT_MS if "giving" in page or "export" in page else TARGET_P95_MS


def _mark(ok: bool) -> str:
    return "" if ok else " ✗"


def table(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(
            f"- **{r['label']}** ({r['database']}, {r['commissions']:,} commissions): "
            f"{r['ran_at']}, {r['requests']} sequential requests per page, throughput "
            f"{r['clients']} clients x {r['seconds']} s, "
            f"gunicorn {r['workers']} (workers x threads)"
            + (f", cache: {r['cache']}." if r.get("cache") else ".")
        )
        for run in r.get("partial_runs", []):
            floors = ", ".join(f"{h} {ms} ms" for h, ms in run.get("floor_ms", {}).items())
            lines.append(
                f"  - pages named {', '.join(repr(p) for p in run['pages'])} measured again "
                f"on {run['ran_at']} ({run['commissions']:,} commissions)"
                + (f"; the floor page's median then: {floors}." if floors else ".")
            )
    lines.append("")
    by_key = {}
    for r in results:
        for row in r["rows"]:
            if row.get("skipped"):
                continue
            key = (row["policy"], row["role"], row["page"])
            by_key.setdefault(key, {})[r["label"]] = row
    labels = [r["label"] for r in results]
    head = ["policy", "role", "page"]
    for label in labels:
        head += [f"{label} queries", f"{label} median ms", f"{label} p95 ms", f"{label} x floor"]
    if len(labels) > 1:
        head.append("same queries")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for (policy, role, page), cells in by_key.items():
        line = [policy, role, page]
        counts = []
        for label in labels:
            row = cells.get(label)
            if row is None:
                line += ["-"] * 4
                continue
            q = max(row["queries"])
            counts.append(tuple(row["queries"]))
            ratio = row.get("ratio")
            line += [
                f"{'/'.join(map(str, row['queries']))}{_mark(q <= TARGET_QUERIES)}",
                f"{row['median_ms']}",
                f"{row['p95_ms']}{_mark(row['p95_ms'] < _p95_target(page))}",
                "-"
                if ratio is None
                else f"{ratio}{_mark(ratio >= TARGET_RATIO or page == 'floor')}",
            ]
        if len(labels) > 1 and len(counts) < len(labels):
            line.append("-")  # the page exists in one dataset only
        elif len(labels) > 1:
            line.append("yes" if len(set(counts)) == 1 else "NO")
        lines.append("| " + " | ".join(line) + " |")
    skipped = sorted(
        {
            f"{row['role']} {row['page']} ({row['status']})"
            for r in results
            for row in r["rows"]
            if row.get("skipped")
        }
    )
    if skipped:
        lines += ["", "Not measured (the role gets no page there): " + "; ".join(skipped) + "."]
    return "\n".join(lines)


def write_benchmark() -> None:
    order = {"demo": 0, "national": 1}
    results = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("bench-*.json"))]
    results.sort(key=lambda r: order.get(r["label"], 9))
    text = BENCHMARK.read_text() if BENCHMARK.exists() else f"# Benchmark\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    BENCHMARK.write_text(f"{before}{START}\n{table(results)}\n{END}{after}")
