"""The commission's record: the page adding a meeting, a note or a
document, and a document's download. Every view gets the commission through
`commission_for` (another hub's, or one this role may not see, is a 404);
the page offers the form only when `record_refusal` allows it (a role
refusal is a 403), and a refusal is shown beside its field with what was
typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.record_forms import RecordForm
from commissioning.records import record_add, record_for
from commissioning.rules.records import record_refusal
from commissioning.selectors import commission_for
from commissioning.uploads import serve_private
from hubs.access import hub_access
from hubs.refusals import Refused


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    refusal = record_refusal(commission, access)
    if refusal is not None:
        raise PermissionDenied(refusal.message)
    form = RecordForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            record_add(
                commission=commission,
                user=request.user,
                kind=d["kind"],
                title=d["title"],
                held_on=d["held_on"],
                attendees=d["attendees"],
                agreed=d["agreed"],
                body=d["body"],
                document=d["document"],
            )
        except Refused as refused:
            if refused.refusal.is_role:
                raise PermissionDenied(refused.message) from None
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(request, f"{d['title']} is kept in the commission's record.")
            return redirect("commissioning:detail", hub_slug=hub_slug, reference=reference)
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        "form": form,
        "error_forms": [form] if form.errors else [],
    }
    return render(
        request, "commissioning/record_new.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def record_file(request, hub_slug: str, reference: str, pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    if not access.is_internal:  # the record is the hub's, as its history is
        raise Http404("No such document")
    record = record_for(commission, pk)
    if not record.document:
        raise Http404("No such document")
    return serve_private(
        record.document, filename=record.document_name, content_type=record.content_type
    )
