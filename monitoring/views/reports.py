"""Report pages: the list, one report, the partner's form (saved as they go)
and the officer's decision, and the export of participant data."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.models import SmartTarget
from hubs.access import HubAccess, hub_access
from hubs.drafts import STALE, autosave_answer, not_saved, sent_version
from hubs.listing import list_page
from hubs.refusals import Refused
from monitoring import services as svc
from monitoring.filters import REPORT_COLUMNS, ReportFilter
from monitoring.forms import DecideForm, ReportForm
from monitoring.models import Report, ReportStatus
from monitoring.rules.reports import decisions_offered, report_write_refusal
from monitoring.selectors import progress_for_report, report_for, reports_visible
from monitoring.suppression import csv_rows, export_header, export_row, participant_rows
from monitoring.views.common import error_summary, place

# ── the list and the export ─────────────────────────────────────────────────


@login_required
@require_GET
def report_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    filters = ReportFilter(request.GET, reports_visible(access), access=access)
    context = list_page(request, filters, REPORT_COLUMNS, ["due_on"], noun=("report", "reports"))
    context |= {
        "access": access,
        "hub": access.hub,
        "today": timezone.localdate(),
        "can_export": access.is_internal,
    }
    return render(request, "monitoring/reports.html", context)


@login_required
@require_GET
def report_export(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """Accepted reports' participant data as CSV, small numbers suppressed."""
    access = hub_access(request, hub_slug)
    if not access.is_internal:
        raise Http404("No such page")
    reports = reports_visible(access).filter(status=ReportStatus.ACCEPTED).order_by("due_on", "pk")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{access.hub.slug}-participant-data-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    header = ["Commission", "Partner", "Report", "Due on", *export_header()]
    response.writelines(csv_rows(_export_rows(header, reports)))  # the formula guard
    return response


def _export_rows(header: list[str], reports) -> Iterator[list[str]]:
    yield header
    for report in reports.iterator(chunk_size=500):
        c = report.commission
        partner = str(c.partner or "")
        yield [c.reference, partner, report.title, report.due_on.isoformat(), *export_row(report)]


# ── one report ──────────────────────────────────────────────────────────────


def _is_contact(access: HubAccess, report: Report) -> bool:
    return report.commission.partner_id in access.partner_ids


def _detail(request, access, report, *, form=None, others=(), status=200) -> HttpResponse:
    # What the page offers is what the gates would accept (monitoring/rules/reports.py).
    decisions = decisions_offered(report, access)
    if decisions and form is None:
        form = DecideForm(instalments=svc.releasable_instalments(report), decisions=decisions)
    elif decisions:
        form.offer(decisions)
    progress = report.progress.select_related("target").order_by("target__due_on", "target_id")
    context = {
        "access": access,
        "hub": access.hub,
        "report": report,
        "commission": report.commission,
        "rows": participant_rows(report),
        "progress": progress,
        "is_contact": _is_contact(access, report),
        "may_write": report_write_refusal(report=report, who=access) is None,
        "internal": access.is_internal,
        "form": form if decisions else None,
        "error_summary": error_summary(form, others) if form is not None and form.is_bound else [],
    }
    return render(request, "monitoring/report_detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _detail(request, access, report_for(access, report_id))


@login_required
@require_POST
def report_decide(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    report = report_for(access, report_id)
    if not access.is_internal:
        raise Http404("No such page")
    form = DecideForm(request.POST, instalments=svc.releasable_instalments(report))
    if not form.is_valid():
        return _detail(request, access, report, form=form, status=400)
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            svc.report_accept(
                report=report,
                user=request.user,
                comments=data["comments"],
                instalment=data["instalment"],
            )
            messages.success(request, f"{report.title} accepted.")
        else:
            svc.report_return(report=report, user=request.user, comments=data["comments"])
            messages.success(request, f"{report.title} returned to the partner with comments.")
    except Refused as refused:
        others = place(form, refused)
        return _detail(request, access, report, form=form, others=others, status=refused.status)
    return redirect("monitoring:report", hub_slug, report.pk)


# ── the partner's form ──────────────────────────────────────────────────────


def _own(access: HubAccess, report_id: int) -> Report:
    report = report_for(access, report_id)
    if not _is_contact(access, report):
        raise Http404("No such page")
    return report


def _targets(report: Report) -> list[SmartTarget]:
    return list(SmartTarget.objects.filter(need_id=report.commission.need_id).order_by("due_on"))


def _initial(report: Report, targets) -> dict:
    initial = {name: getattr(report, name) for name in svc.ANSWERS}
    saved = progress_for_report(report)
    for target in targets:
        if target.pk in saved:
            initial[f"target_{target.pk}"] = saved[target.pk].value
            initial[f"note_{target.pk}"] = saved[target.pk].note
    return initial


def _form_page(request, report, form, *, others=(), status=200, stale=False) -> HttpResponse:
    context = {
        "hub": report.commission.hub,
        "report": report,
        "commission": report.commission,
        "form": form,
        "error_summary": error_summary(form, others) if form.is_bound else [],
        "autosave_url": reverse(
            "monitoring:report_autosave", args=[report.commission.hub.slug, report.pk]
        ),
        # The version saved now: a stale page that is saved again keeps what it shows.
        "draft_version": report.draft_version,
        "stale": stale,
        "saved_copy": _saved_copy(report, form) if stale else [],
    }
    return render(request, "monitoring/report_form.html", context, status=status)


def _save(request, report, form) -> bool:
    """Keep whatever could be read; True when everything could."""
    form.is_valid()
    answers, progress = form.readable()
    svc.report_save(
        report=report,
        user=request.user,
        answers=answers,
        progress=progress,
        version=sent_version(request.POST),
    )
    return not form.errors


def _saved_copy(report: Report, form) -> list[tuple[str, object]]:
    """A stale page's view of what is saved now, beside what was typed."""
    return [(field.label, getattr(report, field.name, "")) for field in form.text_fields()]


def _saved_at() -> str:
    return date_format(timezone.localtime(), "H:i")


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    report = _own(access, report_id)
    if report_write_refusal(report=report, who=access) is not None:
        return redirect("monitoring:report", hub_slug, report.pk)
    targets = _targets(report)
    if request.method == "GET":
        form = ReportForm(initial=_initial(report, targets), report=report, targets=targets)
        return _form_page(request, report, form)
    form = ReportForm(request.POST, report=report, targets=targets)
    action = request.POST.get("action", "save")
    try:
        if not _save(request, report, form):
            return _form_page(request, report, form, status=400)
        if action == "submit":
            svc.report_submit(report=report, user=request.user)
    except Refused as refused:
        stale = refused.rule == STALE
        report.refresh_from_db()
        others = place(form, refused)
        status = 409 if stale else refused.status
        return _form_page(request, report, form, others=others, status=status, stale=stale)
    if action == "submit":
        messages.success(request, f"{report.title} submitted at {_saved_at()}.")
        return redirect("monitoring:report", hub_slug, report.pk)
    messages.success(request, f"Draft saved at {_saved_at()}.")
    return redirect("monitoring:report_edit", hub_slug, report.pk)


@login_required
@require_POST
def report_autosave(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    """static/js/autosave.js posts the form here (with the draft version the
    page holds) when a field is left and every 30 seconds. A save carrying an
    older version is refused (409): a late one never writes over newer words."""
    access = hub_access(request, hub_slug)
    report = _own(access, report_id)
    refusal = report_write_refusal(report=report, who=access)
    if refusal is not None:
        message = f"Not saved: {refusal}"
        return autosave_answer(
            request, message=message, version=report.draft_version, saved=False, status=409
        )
    form = ReportForm(request.POST, report=report, targets=_targets(report))
    try:
        complete = _save(request, report, form)
    except Refused as refused:  # stale, or submitted meanwhile in another tab
        return autosave_answer(
            request,
            message=not_saved(refused),
            version=report.draft_version,
            saved=False,
            status=409,
        )
    message = f"Saved at {_saved_at()}"
    if not complete:
        message += ", except entries that need correcting (numbers only)"
    return autosave_answer(request, message=message + ".", version=report.draft_version)
