"""The documents an organisation reads before it applies to a hub (a blank
partnership agreement, the quality and safeguarding standards, the inclusion
strategy), uploaded by the hub admin and shown, downloadable without signing
in, on the hub's public page (hubs:policy).

The file is checked by its content before it is kept
(commissioning/uploads.py, asked by the upload page in
commissioning/hub_documents.py, since hubs imports no app above it); here
are the model, the one refusal and the writes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction

from hubs.refusals import Refusal, raise_first


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", "Blank partnership agreement"
    QUALITY = "quality", "Quality standards"
    SAFEGUARDING = "safeguarding", "Safeguarding standards"
    INCLUSION = "inclusion", "Inclusion strategy"
    OTHER = "other", "Other guidance"


def hub_document_path(instance, filename: str) -> str:
    # Never the uploader's file name on disk: it is kept in `original_name`.
    return f"hubs/{instance.hub_id}/hub-documents/{uuid.uuid4().hex}"


class HubDocument(models.Model):
    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=hub_document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "kind", "title", "pk"]
        indexes = [models.Index(fields=["hub", "kind"], name="hub_document_kind")]

    def __str__(self) -> str:
        return self.title


def public_documents(hub: Any):
    return HubDocument.objects.filter(hub=hub).order_by("kind", "title", "pk")


def document_refusal(*, access: Any, title: str = "", kind: str = "") -> Refusal | None:
    """Only the hub's admins (or a site administrator) publish its documents."""
    if not access.can_configure:
        return Refusal(
            "hub_admin_only",
            f"Only {access.hub.name}'s hub admins publish the documents on its public page.",
        )
    if kind and kind not in DocumentKind.values:
        return Refusal("document_kind", "Choose what kind of document it is.", "kind")
    return None


@transaction.atomic
def hub_document_add(*, access: Any, kind: str, title: str, checked: Any) -> HubDocument:
    """`checked` is commissioning.uploads.check_upload's answer for the file."""
    raise_first(document_refusal(access=access, kind=kind, title=title))
    return HubDocument.objects.create(
        hub=access.hub,
        kind=kind,
        title=title.strip() or checked.original_name,
        file=checked.file,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=access.user,
    )


@transaction.atomic
def hub_document_remove(*, access: Any, document: HubDocument) -> None:
    raise_first(document_refusal(access=access))
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
