"""Bad input: generated values posted to every form of ours, as each role.

The forms are found, not listed: for each role the test walks the hub's pages
from the dashboard (links under /h/<hub>/ and /hubs/<hub>/), reads every
`<form method="post">` (its action, fields, the options of its selects; and
the JSON autosave endpoint a form names in data-autosave-url), and posts
values that hypothesis draws for each field: valid options, empty, missing,
very long, control characters, odd numbers and dates, wrong files.
A form another app adds later is fuzzed as soon as a page links to it.

Each post runs in a transaction that is rolled back, so the demo stays as it
was. None may answer 5xx (the test client raises the view's exception), and
any refusal that renders a page must say what is wrong (an error summary, a
message beside a field, or a flash message).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubs.models import Hub, Membership, Role
from tests import demo_db
from tests.auth_helpers import sign_in

# Marked so pytest-django sets up the test database; the demo itself is
# committed once per module by the `demo` fixture below.
pytestmark = pytest.mark.django_db

EXAMPLES = 10  # per form and role: keeps the whole module under a minute of CPU
MAX_PAGES = 120  # pages crawled per role
PER_VIEW = 2  # of them, at most this many of one kind of page
# ... except pages whose forms depend on the object's state: the demo has a
# commission (and agreement, report) in every stage, each with its own forms.
PER_STATEFUL_VIEW = {
    "commissioning:detail": 16,
    "agreements:detail": 8,
    "monitoring:report": 4,
    "monitoring:partnership": 4,
    "calls:detail": 4,
}
MARKERS = ("error-summary", "error-message", 'class="message', "There is a problem")
SKIP_ACTIONS = ("/accounts/", "/admin/")
STATUSES: Counter = Counter()


@dataclass
class Form:
    action: str
    view: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name: options ([] = free)
    files: set[str] = field(default_factory=set)
    fixed: dict[str, str] = field(default_factory=dict)  # hidden inputs

    @property
    def key(self) -> tuple:
        return (self.view, self.fixed.get("action", ""), tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    """Links and post forms of one page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.autosave: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            action = urlsplit(urljoin(self.base, a.get("action") or self.base)).path
            self.form = Form(action=action, view="")
            self.autosave = a.get("data-autosave-url")
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "textarea" and a.get("name"):
            self.form.fields.setdefault(a["name"], [])
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.form.fields.setdefault(self.select, [])
        elif tag == "option" and self.select is not None:
            self.form.fields[self.select].append(a.get("value", ""))

    def _input(self, a: dict) -> None:
        name, kind = a["name"], (a.get("type") or "text").lower()
        if name == "csrfmiddlewaretoken":
            return
        if kind == "hidden":
            self.form.fixed[name] = a.get("value", "")
        elif kind == "file":
            self.form.files.add(name)
        elif kind in ("checkbox", "radio", "submit"):
            self.form.fields.setdefault(name, []).append(a.get("value", "on"))
        else:
            self.form.fields.setdefault(name, [])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            if self.autosave:
                # The JSON endpoint static/js/autosave.js posts the same fields to.
                action = urlsplit(urljoin(self.base, self.autosave)).path
                self.forms.append(replace(self.form, action=action))
            self.form = None


def _view(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(client: Client, slug: str) -> list[Form]:
    """Post forms reachable from the hub's dashboard, one per kind."""
    seen, queue, forms = set(), deque([f"/h/{slug}/"]), {}
    per_view: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        view = _view(path)
        limit = PER_STATEFUL_VIEW.get(view, PER_VIEW)
        if path in seen or view is None or per_view.get(view, 0) >= limit:
            continue
        seen.add(path)
        per_view[view] = per_view.get(view, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser(f"http://testserver{path}")
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form.action.startswith(SKIP_ACTIONS):
                continue
            form.view = _view(form.action)
            if form.view is None:
                continue
            forms.setdefault(form.key, form)
        for link in parser.links:
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or parts.query:
                continue
            if parts.path.startswith((f"/h/{slug}/", f"/hubs/{slug}/")):
                # A kind of page not seen yet goes first: more forms, sooner.
                if _view(parts.path) in per_view:
                    queue.append(parts.path)
                else:
                    queue.appendleft(parts.path)
    return list(forms.values())


# What hypothesis draws for a free field: text of every kind, numbers and
# dates that are almost right, and values that are plainly wrong.
FREE = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(min_size=4000, max_size=6000, alphabet="ab \n"),
    st.sampled_from(["0", "-1", "1e9", "12.345", "NaN", "£100", "99999999999999999999"]),
    st.sampled_from(["2026-02-30", "31/12/2026", "2026-12-31", "yesterday"]),
    st.sampled_from(["<script>alert(1)</script>", "\x00", "' OR 1=1 --", "🎻" * 50]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
FILES = st.sampled_from(
    [
        ("empty.pdf", b""),
        ("fake.pdf", b"not a pdf at all"),
        ("x.exe", b"MZ\x90\x00"),
        ("ok.txt", b"hello"),
    ]
)


def values_for(form: Form) -> st.SearchStrategy[dict]:
    def one(options: list[str]) -> st.SearchStrategy:
        return st.one_of(st.sampled_from(options), FREE) if options else FREE

    fields = {name: st.one_of(st.none(), one(options)) for name, options in form.fields.items()}
    files = {name: st.one_of(st.none(), FILES) for name in form.files}
    return st.fixed_dictionaries({**fields, **files})


def post(client: Client, form: Form, values: dict) -> None:
    data = dict(form.fixed)
    for name, value in values.items():
        if value is None:
            continue
        if name in form.files:
            data[name] = SimpleUploadedFile(value[0], value[1])
        else:
            data[name] = value
    with transaction.atomic():
        response = client.post(form.action, data)
        transaction.set_rollback(True)
    status = response.status_code
    STATUSES[status] += 1
    assert status < 500, (form.action, data, status)
    if status in (302, 303, 404, 405):
        return
    body = response.content.decode(errors="replace")
    if "json" in response.get("Content-Type", ""):
        assert status < 400 or "error" in body.lower(), (form.action, status, body[:300])
        return
    assert any(m in body for m in MARKERS), (form.action, data, status, body[:500])


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo, committed for the module (tests/demo_db.py: loaded once a
    session, restored from its copy after) and emptied at its end."""
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


ROLES = [
    # (hub, role, extra filter)
    ("leics", Role.HLO_STAFF, {}),
    ("leics", Role.APPROVER, {}),
    ("leics", Role.BOARD_MEMBER, {"is_chair": True}),
    ("leics", Role.PARTNER_CONTACT, {"partner__name__icontains": "jazz"}),
    ("blmk", Role.SERVICE_LEAD, {"service_area__name": "Luton"}),
    ("consortium", Role.PARTNER_CONTACT, {"partner__proposals__status": "draft"}),
    ("herts", Role.BOARD_MEMBER, {"is_chair": False}),  # comments on drafts
    ("herts", Role.PARTNER_CONTACT, {"partner__proposals__isnull": True}),  # may apply
]


@pytest.mark.parametrize(("slug", "role", "which"), ROLES, ids=[f"{s}-{r}" for s, r, _ in ROLES])
def test_no_form_answers_5xx_and_refusals_say_why(demo, slug, role, which):
    hub = Hub.objects.get(slug=slug)
    member = Membership.objects.filter(hub=hub, role=role, **which).order_by("pk").first()
    client = Client()
    sign_in(client, member.user)
    forms = crawl(client, slug)
    assert forms or role == Role.BOARD_MEMBER, "no form found to fuzz"

    for form in forms:
        fuzz_form(client, form)
    # Shown with -s: what was fuzzed, and how the app answered.
    print(f"\n{slug} {role}: {len(forms)} forms {sorted({f.key[:2] for f in forms})}")
    print(f"statuses so far: {dict(sorted(STATUSES.items()))}")


def fuzz_form(client: Client, form: Form) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: no flaky CI
        suppress_health_check=list(HealthCheck),
    )
    @given(values=values_for(form))
    def fuzz(values):
        post(client, form, values)

    fuzz()
