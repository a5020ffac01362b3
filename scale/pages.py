"""What the benchmark and load test visit: each role's main pages in a hub,
and a signed-in session for each role.

Pages are found by URL name, so pages other apps add later (board drafts,
the register, the 360Giving export) are measured as soon as their URL names
below resolve; a name that does not resolve yet is skipped and listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpRequest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.mfa import needs_mfa, session_record_mfa
from commissioning.models import Call, Commission, Proposal
from commissioning.workflow import Stage
from hubs.models import Hub, Membership, Role


@dataclass(frozen=True)
class Page:
    role: str
    name: str
    path: str
    is_list: bool = False  # list pages and dashboards have a throughput target


@dataclass(frozen=True)
class Person:
    role: str
    email: str
    session_key: str


def session_for(user: Any) -> str:
    """A signed-in session for `user`, stored in the database, as if they had
    signed in with their password (and, where their role needs one, a code
    from their authenticator app). Returns the session key."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if needs_mfa(user):
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        request = HttpRequest()
        request.session = session
        request.user = user
        session_record_mfa(request, authenticator)
    session.save()
    return session.session_key


def _member(hub: Hub, role: str, **filters: Any):
    m = (
        Membership.objects.filter(hub=hub, role=role, **filters)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return m.user if m else None


def people(hub: Hub) -> dict[str, Any]:
    """One person in each role of `hub` (the demo's, where it has them)."""
    found = {
        "officer": _member(hub, Role.HLO_STAFF),
        "approver": _member(hub, Role.APPROVER),
        "board": _member(hub, Role.BOARD_MEMBER, is_chair=False),
        # One whose area has commissions, so their pages have rows.
        "service lead": _member(hub, Role.SERVICE_LEAD, service_area__commissions__isnull=False),
        "hub admin": _member(hub, Role.HUB_ADMIN),
    }
    partner = (
        Commission.objects.filter(hub=hub, status=Stage.MONITORING)
        .exclude(partner=None)
        .order_by("reference")
        .values_list("partner_id", flat=True)
        .first()
    )
    found["partner"] = _member(hub, Role.PARTNER_CONTACT, partner_id=partner) if partner else None
    return {role: user for role, user in found.items() if user is not None}


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _first(qs) -> Any:
    return qs.order_by("pk").first()


# Apps whose hub-wide pages (URL patterns taking only the hub's slug) are
# found and measured, for the roles named, so pages landed later are covered.
DISCOVERED_APPS = {
    "agreements": ("officer", "board", "partner"),
    "monitoring": ("officer", "partner"),
    "oversight": ("officer", "board"),
    "notices": ("officer",),
    "procurement": ("officer",),
}
# What each demo policy's hub is measured for (None: every role and page).
# The others' roles are measured in herts; blmk has the service leads, leics
# open calls with scoring.
FOCUS: dict[str, set[str] | None] = {
    "herts": None,
    "blmk": {"service lead"},
    "leics": {"scoring"},
}


SKIPPED = {"mark_read", "preferences"}


def hub_pages() -> list[str]:
    """URL names, in DISCOVERED_APPS, of patterns whose only argument is the hub."""
    names = []
    for resolver in get_resolver().url_patterns:
        if not isinstance(resolver, URLResolver) or resolver.namespace not in DISCOVERED_APPS:
            continue
        for p in resolver.url_patterns:
            if p.name in SKIPPED or not isinstance(p, URLPattern):
                continue
            if set(p.pattern.converters) == {"hub_slug"}:
                names.append(f"{resolver.namespace}:{p.name}")
    return sorted(names)


def _agreement_pages(hub: Hub, add) -> None:
    """A draft with the board for comment (the board's "drafts"), a signed
    agreement, a partnership's monitoring page and a report, where they exist."""
    from agreements.models import Agreement, AgreementStatus
    from monitoring.models import Report, ReportStatus

    slug = hub.slug
    for status, roles, name in (
        (AgreementStatus.BOARD_COMMENT, ("board", "officer"), "agreement draft with the board"),
        (AgreementStatus.SIGNED, ("officer", "partner"), "agreement, signed"),
    ):
        a = (
            Agreement.objects.filter(
                hub=hub,
                status=status,
                commission__status__in=[Stage.BOARD_COMMENT, Stage.MONITORING],
            )
            .select_related("commission")
            .order_by("commission__reference")
            .first()
        )
        if a is None:
            continue
        path = _url("agreements:detail", slug, a.commission.reference, a.period_number)
        for role in roles:
            add(role, name, path)
    live = _first(Commission.objects.filter(hub=hub, status=Stage.MONITORING))
    if live is not None:
        add(
            "officer",
            "partnership (monitoring)",
            _url("monitoring:partnership", slug, live.reference),
        )
    report = _first(Report.objects.filter(hub=hub, status=ReportStatus.SUBMITTED))
    if report is not None:
        add("officer", "report (submitted)", _url("monitoring:report", slug, report.pk))


def scored_call(hub: Hub) -> Call | None:
    """A closed call being scored (its commission not yet awarded), as in the
    demo, or else any closed call with proposals."""
    closed = Call.objects.filter(hub=hub, closed_at__isnull=False, proposals__isnull=False)
    return _first(closed.filter(commission__status=Stage.IDENTIFY)) or _first(closed)


def pages_for(hub: Hub, roles: set[str], call: Call | None = None) -> list[Page]:
    """The main pages of each role in `hub` (some may answer 403/404/405 for a
    role: the benchmark reports and skips those); the scoring pages are those
    of `call`, or of scored_call(hub)."""
    slug = hub.slug
    monitoring = _first(Commission.objects.filter(hub=hub, status=Stage.MONITORING))
    approval = _first(Commission.objects.filter(hub=hub, status=Stage.APPROVAL))
    board = _first(Commission.objects.filter(hub=hub, status=Stage.BOARD_COMMENT)) or monitoring
    call = call or scored_call(hub)
    proposal = _first(Proposal.objects.filter(call=call)) if call else None
    dashboard = _url("commissioning:dashboard", slug)
    listing = _url("commissioning:list", slug)
    pages: list[Page] = []

    def add(role: str, name: str, path: str | None, is_list: bool = False) -> None:
        if path and role in roles:
            pages.append(Page(role, name, path, is_list))

    for role in ("officer", "approver", "board", "service lead", "partner", "hub admin"):
        add(role, "dashboard", dashboard, True)
        add(role, "commission list", listing, True)
    add("officer", "commission list, stage filter", f"{listing}?stage=monitoring", True)
    add("officer", "commission list, page 3", f"{listing}?stage=monitoring&page=3", True)
    add("approver", "commission list, awaiting approval", f"{listing}?stage=approval", True)
    # Search and filters (issue 15): a word in every generated title, so the
    # search ranks a whole hub's matches (the worst case), then narrowed.
    searched = f"{listing}?q=ensembles"
    add("officer", "commission list, search", searched, True)
    add("service lead", "commission list, search", searched, True)
    add(
        "officer",
        "commission list, search and filters",
        f"{searched}&stage=monitoring&sort=-grant",
        True,
    )
    add("approver", "commission list, waiting on me", f"{listing}?waiting=on&sort=title", True)
    if monitoring:
        detail = _url("commissioning:detail", slug, monitoring.reference)
        add("officer", "commission detail", detail)
        add("board", "commission detail", detail)
    if approval:
        add(
            "approver",
            "commission detail (approval)",
            _url("commissioning:detail", slug, approval.reference),
        )
    if board:
        add(
            "board",
            "commission detail (board)",
            _url("commissioning:detail", slug, board.reference),
        )
    _agreement_pages(hub, add)
    add("officer", "calls", _url("calls:index", slug), True)
    add("officer", "needs", _url("needs:list", slug), True)
    add("partner", "calls", _url("calls:index", slug), True)
    if call:
        add("officer", "scoring overview", _url("scoring:overview", slug, call.pk))
        add("officer", "call results", _url("scoring:results", slug, call.pk))
        if proposal:
            # As the demo's panel member who has declared and scored: the approver.
            add("approver", "proposal scoring", _url("scoring:score", slug, call.pk, proposal.pk))
    for url_name in hub_pages():
        for role in DISCOVERED_APPS[url_name.split(":")[0]]:
            path = _url(url_name, slug)
            if path and path.startswith("/hubs/") and role != "officer":
                continue  # a public page: once is enough
            is_export = any(word in url_name for word in ("csv", "json", "export"))
            add(role, url_name, path, not is_export)
    return pages


def focused(pages: list[Page], policy: str) -> list[Page]:
    focus = FOCUS.get(policy)
    if focus is None:
        return pages
    scoring = {"scoring overview", "call results", "proposal scoring"}
    return [p for p in pages if p.role in focus or ("scoring" in focus and p.name in scoring)]
