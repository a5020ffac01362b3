"""Oversight pages: the public register and 360Giving files, the hub's
dashboard, CSV exports, the policy record and board packs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.calls.selectors import public_open_calls
from commissioning.uploads import serve_private
from contracts.dashboard import contract_panels
from hubs.access import HubAccess, hub_access
from hubs.models import Hub
from monitoring.suppression import csv_rows
from oversight import dashboard as figures
from oversight import giving
from oversight.charts import bar_chart
from oversight.exports import EXPORTS
from oversight.forms import BoardPackForm
from oversight.models import BoardPack, BoardPackStatus
from oversight.policy_record import policy_versions as versions_of
from oversight.policy_record import range_reviews_of
from oversight.selectors import register_entries
from oversight.services import board_pack_request
from oversight.streams import funding_streams

PAGE_SIZE = 25


# ── the public ───────────────────────────────────────────────────────────────
@require_GET
def register(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """Who the hub has commissioned, for what and how much. No people's names."""
    hub = get_object_or_404(Hub, slug=hub_slug)
    page = Paginator(register_entries(hub), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"hub": hub, "page": page, "open_calls": public_open_calls(hub).count()}
    return render(request, "oversight/register.html", context)


def _download(chunks, filename: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _publishable(hub_slug: str) -> Hub:
    hub = get_object_or_404(Hub, slug=hub_slug)
    if not giving.has_grants(hub):
        raise Http404("This hub has no awarded partnerships to publish yet.")
    return hub


@require_GET
def giving_json(request: HttpRequest, hub_slug: str) -> StreamingHttpResponse:
    hub = _publishable(hub_slug)
    return _download(
        giving.package_json(hub), f"{hub.slug}-360giving.json", "application/json; charset=utf-8"
    )


@require_GET
def giving_csv(request: HttpRequest, hub_slug: str) -> StreamingHttpResponse:
    hub = _publishable(hub_slug)
    return _download(
        giving.package_csv(hub), f"{hub.slug}-360giving.csv", "text/csv; charset=utf-8"
    )


# ── the hub's own pages ──────────────────────────────────────────────────────
def _overseer(request: HttpRequest, hub_slug: str) -> HubAccess:
    """HLO staff, approvers, hub admins and the board; anyone else, a 404."""
    access = hub_access(request, hub_slug)
    if not figures.may_see_dashboard(access):
        raise Http404("No such page")
    return access


def _year(request: HttpRequest, known: set[str]) -> tuple[str, list[str]]:
    """The academic year to show: asked for, else this one if it has
    commissions, else the newest that has."""
    current = figures.academic_year(timezone.localdate())
    years = sorted(known | {current}, reverse=True)
    chosen = request.GET.get("year", "")
    if chosen in years:
        return chosen, years
    if current in known or not known:
        return current, years
    return max(known), years


@login_required
@require_GET
def dashboard(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _overseer(request, hub_slug)
    hub = access.hub
    counted = figures.tally(hub)
    year, years = _year(request, counted.years)
    policy = figures.policy_with_allocation(hub, year)
    allocated = policy.allocated if policy else None
    money = figures.money(hub, year, allocated, policy, counted)
    waits = counted.stage_waits()
    mix = figures.partner_mix(hub)
    by_area = bool(policy and policy.commissioning_by_service_area)
    areas = figures.by_service_area(hub, year, counted) if by_area else []
    needs, targets = figures.needs_and_targets(hub, year)
    today = timezone.localdate()
    context = {
        "access": access,
        "hub": hub,
        "policy": policy,
        "review_overdue": bool(policy and policy.next_review_on and policy.next_review_on < today),
        "year": year,
        "years": years,
        "money": money,
        "streams": funding_streams(counted, year, policy),
        "waits": waits,
        "needs": needs,
        "uncovered": [n for n in needs if not n.covered],
        "mix": mix,
        "targets": targets,
        "areas": areas,
        "charts": charts_for(waits, money, mix, areas),
        "exports": EXPORTS.items() if access.sees_everything else [],
    }
    context |= contract_panels(access)  # KPI ratings, high risks, value for money
    return render(request, "oversight/dashboard.html", context)


def charts_for(waits, money, mix, areas) -> dict:
    charts = {
        "stages": bar_chart(
            "stages",
            "Commissions by stage",
            [(w.label, w.count) for w in waits],
            value_heading="Commissions",
        ),
        "money": bar_chart(
            "money",
            f"Hub grant and match funding, {money.year}",
            [
                *(
                    [("Hub grant allocated", money.allocated)]
                    if money.allocated is not None
                    else []
                ),
                ("Hub grant committed", money.committed),
                ("Hub grant paid", money.paid),
                ("Match funding raised", money.match_raised),
            ],
            value_heading="Amount",
            money=True,
        ),
        "types": bar_chart(
            "types", "Current partners by type", mix.by_type, value_heading="Partners"
        ),
        "specialisms": bar_chart(
            "specialisms",
            "Current partners by specialism",
            mix.by_specialism,
            value_heading="Partners",
        ),
        "reach": bar_chart(
            "reach", "Current partners by reach", mix.by_reach, value_heading="Partners"
        ),
    }
    if areas:
        charts["areas"] = bar_chart(
            "areas",
            f"Hub grant committed by service area, {money.year}",
            [(a.name, a.committed) for a in areas],
            value_heading="Committed",
            money=True,
        )
    return charts


@login_required
@require_GET
def export_csv(request: HttpRequest, hub_slug: str, kind: str) -> StreamingHttpResponse:
    access = hub_access(request, hub_slug)
    export = EXPORTS.get(kind)
    if export is None or not access.sees_everything:
        raise Http404("No such export")
    stamp = timezone.localdate().isoformat()
    return _download(
        csv_rows(export.rows(access.hub)),
        f"{access.hub.slug}-{kind}-{stamp}.csv",
        "text/csv; charset=utf-8",
    )


@login_required
@require_GET
def policy_versions(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _overseer(request, hub_slug)
    context = {
        "access": access,
        "hub": access.hub,
        "versions": versions_of(access.hub),
        "range_reviews": range_reviews_of(access.hub),
    }
    return render(request, "oversight/policy_versions.html", context)


# ── board packs ──────────────────────────────────────────────────────────────
@login_required
@require_http_methods(["GET", "POST"])
def board_packs(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _overseer(request, hub_slug)
    form = BoardPackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pack = board_pack_request(
            hub=access.hub, user=request.user, meeting_on=form.cleaned_data["meeting_on"]
        )
        return redirect("oversight:board_pack", hub_slug=access.hub.slug, pack_id=pack.pk)
    packs = BoardPack.objects.filter(hub=access.hub).order_by("-created_at")
    page = Paginator(packs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"access": access, "hub": access.hub, "form": form, "page": page}
    return render(
        request, "oversight/board_packs.html", context, status=400 if form.errors else 200
    )


def _pack(access: HubAccess, pack_id: int) -> BoardPack:
    return get_object_or_404(BoardPack, hub=access.hub, pk=pack_id)


@login_required
@require_GET
def board_pack(request: HttpRequest, hub_slug: str, pack_id: int) -> HttpResponse:
    access = _overseer(request, hub_slug)
    pack = _pack(access, pack_id)
    context = {"access": access, "hub": access.hub, "pack": pack}
    return render(request, "oversight/board_pack.html", context)


@never_cache
@login_required
@require_GET
def board_pack_status(request: HttpRequest, hub_slug: str, pack_id: int) -> JsonResponse:
    """For the progress page's poller."""
    access = _overseer(request, hub_slug)
    pack = _pack(access, pack_id)
    ready = pack.status == BoardPackStatus.READY
    return JsonResponse(
        {
            "status": pack.status,
            "label": pack.get_status_display(),
            "progress": pack.progress,
            "step": pack.step,
            "finished": pack.is_finished,
            "error": pack.error,
            "download": reverse("oversight:board_pack_download", args=[access.hub.slug, pack.pk])
            if ready
            else None,
        }
    )


@login_required
@require_GET
def board_pack_download(request: HttpRequest, hub_slug: str, pack_id: int) -> HttpResponse:
    access = _overseer(request, hub_slug)
    pack = _pack(access, pack_id)
    if pack.status != BoardPackStatus.READY or not pack.file:
        raise Http404("This board pack is not ready")
    filename = f"{access.hub.slug}-board-pack-{pack.meeting_on:%Y-%m-%d}.pdf"
    return serve_private(pack.file, filename=filename, content_type="application/pdf")
