"""What the cached hub standing, unread count and navigation save, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub_scale_demo \\
        nice .venv/bin/python scale/fixed_cost.py herts 15

Each list page and dashboard of the hub (scale.pages) is requested in turns:
with a cache that keeps nothing and no navigation fragments (as before the
cache), then with a memory cache, each request followed by the floor page's;
medians over the rounds, printed as milliseconds and as ratios to the floor.
Taken side by side in the same seconds, the comparison holds on a busy machine.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"

import django

django.setup()

from django.test import Client, override_settings  # noqa: E402

from hubs.models import Hub  # noqa: E402
from hubs.templatetags import fragments  # noqa: E402
from scale.pages import focused, pages_for, people, session_for  # noqa: E402

NOTHING = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def timed(client: Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - started) * 1000


def main(slug: str, rounds: int) -> None:
    hub = Hub.objects.get(slug=slug)
    cast = people(hub)
    remembered = fragments.FRAGMENTS.get
    for page in focused(pages_for(hub, set(cast)), re.sub(r"^n\d+-", "", slug)):
        if not page.is_list:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = session_for(cast[page.role])
        if client.get(page.path).status_code != 200:
            continue
        times: dict[str, list[float]] = {"before": [], "after": [], "floor": []}
        for i in range(rounds + 2):
            for mode, caches in (("before", NOTHING), ("after", MEMORY)):
                with override_settings(CACHES=caches):
                    fragments.FRAGMENTS.get = (
                        remembered if mode == "after" else lambda *a, **k: None
                    )
                    took, floor = timed(client, page.path), timed(client, "/bench/floor/")
                if i >= 2:  # two rounds to warm up
                    times[mode].append(took)
                    times["floor"].append(floor)
        fragments.FRAGMENTS.get = remembered
        floor, before, after = (statistics.median(times[k]) for k in ("floor", "before", "after"))
        print(
            f"| {slug} | {page.role} | {page.name} | {floor:.1f} | {before:.1f} "
            f"({floor / before:.2f}) | {after:.1f} ({floor / after:.2f}) | {before - after:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15)
