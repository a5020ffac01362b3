"""The hub admin's page for the documents on the hub's public page
(hubs/documents.py), and their public download.

Here rather than in hubs because a file is checked by its content before it
is kept (commissioning/uploads.py), and hubs imports no app above it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.uploads import ACCEPTED, check_upload, serve_private
from hubs.access import hub_access
from hubs.documents import (
    DocumentKind,
    HubDocument,
    document_refusal,
    hub_document_add,
    hub_document_remove,
    public_documents,
)
from hubs.refusals import Refused


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What it is",
        choices=[("", "Choose what it is"), *DocumentKind.choices],
        error_messages={"required": "Choose what kind of document it is."},
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="What applicants read, for example 'Safeguarding standards for partners'; "
        "without one, the file's name.",
    )
    file = forms.FileField(
        label="The file",
        help_text=f"{ACCEPTED}.",
        error_messages={"required": "Choose the file to upload."},
    )


def _access(request: HttpRequest, hub_slug: str):
    access = hub_access(request, hub_slug)
    refusal = document_refusal(access=access)
    if refusal is not None:
        raise PermissionDenied(refusal.message)
    return access


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _access(request, hub_slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                checked = check_upload(form.cleaned_data["file"])
                document = hub_document_add(
                    access=access,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    checked=checked,
                )
            except Refused as refused:
                form.add_error("file" if refused.field == "attachments" else None, refused.message)
            else:
                messages.success(request, f"{document.title} is on {access.hub.name}'s page.")
                return redirect("hub_documents:manage", hub_slug)
        status = 400
    context = {
        "access": access,
        "hub": access.hub,
        "documents": public_documents(access.hub),
        "form": form,
        "error_forms": [form] if form.errors else [],
    }
    return render(request, "hubs/documents.html", context, status=status)


@login_required
@require_POST
def remove(request: HttpRequest, hub_slug: str, document_id: int) -> HttpResponse:
    access = _access(request, hub_slug)
    document = get_object_or_404(HubDocument, pk=document_id, hub=access.hub)
    hub_document_remove(access=access, document=document)
    messages.success(request, f"{document.title} removed from {access.hub.name}'s page.")
    return redirect("hub_documents:manage", hub_slug)


@require_GET
def download(request: HttpRequest, hub_slug: str, document_id: int) -> HttpResponse:
    """Anyone's: the hub publishes them for applicants."""
    document = get_object_or_404(HubDocument, pk=document_id, hub__slug=hub_slug)
    return serve_private(
        document.file,
        filename=document.original_name,
        content_type=document.content_type,
        public=True,
    )


app_name = "hub_documents"
urlpatterns = [
    path("h/<slug:hub_slug>/documents/", manage, name="manage"),
    path("h/<slug:hub_slug>/documents/<int:document_id>/remove/", remove, name="remove"),
    path("hubs/<slug:hub_slug>/documents/<int:document_id>/", download, name="download"),
]
