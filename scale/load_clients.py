"""The load test's clients (scale/load.py): each a thread with its own
connection, reading and writing as one person; what they share is the pool of
writable things and the log of every response.

One move in ten repeats a move another client has just made, so two race for
one commission: only one may succeed (the other is refused, 400).
"""

from __future__ import annotations

import http.client
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from scale.bench import fetch

FRIENDLY = "Sorry"  # templates/500.html's heading starts with it


@dataclass
class Target:
    hub: str
    reference: str
    stage: str
    kind: str = "move"  # move (officer), comment (board), report (partner)
    report_id: int = 0


@dataclass
class Shared:
    """What all clients share: the writable commissions, and the log."""

    writable: dict[tuple[str, str], list[Target]]  # (hub, kind or partner key)
    lock: threading.Lock = field(default_factory=threading.Lock)
    successes: list[tuple[str, str, str]] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: list[tuple[float, int, str, bool]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    timeline: list[tuple[float, int]] = field(default_factory=list)
    writes_refused: int = 0
    sent_to_sign_in: int = 0  # 302s to /accounts/ (sign-in, second factor)
    recent: dict[tuple[str, str], list[Target]] = field(default_factory=dict)

    def take(self, pool: tuple[str, str], rng: random.Random) -> Target | None:
        """Something in `pool` nobody has written to yet; or, one move in
        ten, a commission another client has just moved (or is moving): of
        two such moves only one may succeed, and the other must be refused.
        Agreements are not used up: a board member may comment on a draft as
        often as they like, so writes go on all run, even on the demo's data."""
        with self.lock:
            recent = self.recent.get(pool)
            if pool[1] == "officer" and recent and rng.random() < 0.1:
                return rng.choice(recent)
            targets = self.writable.get(pool)
            if not targets:
                return None
            if pool[1] == "board":
                return rng.choice(targets)
            target = targets.pop(rng.randrange(len(targets)))
            self.recent.setdefault(pool, []).append(target)
            del self.recent[pool][:-10]
            return target


class LoadClient(threading.Thread):
    def __init__(self, n, port, setup, session, csrf, refs, shared, stop_at, started) -> None:
        super().__init__(daemon=True)
        self.n, self.port, self.hub = n, port, setup["hub"]
        self.role, self.pool = setup["role"], setup["pool"]
        self.session, self.csrf, self.refs = session, csrf, refs
        self.shared, self.stop_at, self.started = shared, stop_at, started
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.rng = random.Random(n)  # noqa: S311 (load mix, not secrets)

    def request(self, method: str, path: str, body: dict | None = None) -> int:
        """The response's status; a redirect to sign-in or to the second
        factor's code page counts as 401 (the session was not accepted)."""
        headers = {"Cookie": f"csrftoken={self.csrf}"}
        data = None
        if body is not None:
            data = urlencode({**body, "csrfmiddlewaretoken": self.csrf}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        try:
            status, got, content = fetch(
                self.port, path, self.session, self.conn, method, data, headers
            )
            if status == 302 and "/accounts/" in got.get("location", ""):
                status = 401
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            status, content = 599, str(exc).encode()
        elapsed = time.perf_counter() - t0
        with self.shared.lock:
            self.shared.timeline.append((time.monotonic() - self.started, status))
            self.shared.statuses[status] += 1
            self.shared.latencies.append(elapsed * 1000)
            if status == 401:
                self.shared.sent_to_sign_in += 1
            if status >= 500:
                friendly = FRIENDLY.encode() in content
                self.shared.errors.append((time.monotonic() - self.started, status, path, friendly))
        return status

    def read(self) -> None:
        base = f"/h/{self.hub}/"
        choice = self.rng.random()
        if self.role == "partner":
            page = "" if choice < 0.5 else "monitoring/reports/"
            self.request("GET", base + page)
        elif choice < 0.25:
            self.request("GET", base)
        elif choice < 0.55:
            stage = self.rng.choice(["", "monitoring", "approval", "draft", "needs"])
            page = self.rng.randint(1, 5)
            self.request("GET", f"{base}commissions/?stage={stage}&page={page}")
        else:
            self.request("GET", f"{base}commissions/{self.rng.choice(self.refs)}/")

    def write(self) -> None:
        target = self.shared.take(self.pool, self.rng)
        if target is None:
            return self.read()
        base = f"/h/{target.hub}/"
        marker = f"load-{self.n}-{uuid.uuid4().hex[:12]}"
        if target.kind == "comment":
            action = marker
            path = f"{base}commissions/{target.reference}/agreement/1/comments/"
            # form_key: the form's own token, as the page gives it.
            body = {"section_key": "", "body": f"Board comment {marker}", "form_key": marker}
        elif target.kind == "report":
            action = marker
            path = f"{base}monitoring/reports/{target.report_id}/edit/"
            body = {
                "action": "submit",
                "activities": f"Weekly ensembles ({marker}).",
                "outcomes": "More young people playing together.",
                "participants": "48",
                # A final evaluation needs it; other reports' forms ignore it.
                "recommendations": "Keep the ensembles going next year.",
            }
        elif target.stage == "needs" and self.rng.random() < 0.5:
            action = "begin_identification"
            path = f"{base}commissions/{target.reference}/move/"
            body = {"action": action, "route": "open_call", "reason": "Load test: no partner fits."}
        else:
            action = "withdraw"
            path = f"{base}commissions/{target.reference}/move/"
            body = {"action": action, "reason": f"Load test withdrawal by client {self.n}."}
        status = self.request("POST", path, body)
        if status == 302:
            with self.shared.lock:
                self.shared.successes.append((target.kind, target.hub, target.reference, action))
        elif status in (400, 403):
            with self.shared.lock:
                self.shared.writes_refused += 1

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            if self.rng.random() < 0.2:
                self.write()
            else:
                self.read()
        self.conn.close()
