"""Checking a file before it is kept: by its content, not its name.

A file is accepted only when its name says PDF, DOCX, XLSX, PNG or JPEG and
its first bytes say the same (a DOCX or XLSX is a ZIP holding
[Content_Types].xml and a word/ or xl/ folder). Anything else is refused with
a message naming the file and what it really is, so the person can fix it.
Files are stored under random names (the models' upload_to), on the default
storage (local files, or a private S3 bucket: config/settings/storage.py), and
served only through views that check who is asking, which stream them.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat

from hubs.refusals import Refusal, Refused

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {
    "pdf": Kind("a PDF", "application/pdf", (".pdf",)),
    "docx": Kind(
        "a Word document (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": Kind(
        "an Excel spreadsheet (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
    "png": Kind("a PNG image", "image/png", (".png",)),
    "jpeg": Kind("a JPEG image", "image/jpeg", (".jpg", ".jpeg")),
}
BY_EXTENSION = {ext: key for key, kind in KINDS.items() for ext in kind.extensions}
# What filetype calls the content, in words a person knows (for refusals).
CONTENT_NAMES = {
    "exe": "a Windows program",
    "elf": "a program",
    "zip": "a ZIP archive",
    "gif": "a GIF image",
    "webp": "a WebP image",
    "doc": "an old Word document (DOC)",
    "xls": "an old Excel spreadsheet (XLS)",
    "pptx": "a PowerPoint presentation",
    "mp3": "an audio file",
    "mp4": "a video",
}
ACCEPTED = "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG"


def _refused(message: str) -> Refused:
    return Refused(Refusal("upload_refused", message, "attachments"))


@dataclass(frozen=True)
class Checked:
    file: UploadedFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def _ooxml(upload: UploadedFile) -> str | None:
    """'docx' or 'xlsx' when the ZIP really is one, else None."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def sniff(upload: UploadedFile) -> str | None:
    """One of KINDS' keys, read from the file's content, or what else it is
    (a filetype extension such as 'exe'), or None when unknown."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    found = guess.extension if guess else None
    if found in ("zip", "docx", "xlsx", "pptx"):
        return _ooxml(upload) or ("pptx" if found == "pptx" else "zip")
    return {"jpg": "jpeg"}.get(found, found)


def _describe(found: str | None) -> str:
    if found in KINDS:
        return KINDS[found].label
    if found in CONTENT_NAMES:
        return CONTENT_NAMES[found]
    return f"a .{found} file" if found else "not a file type we can check"


def check_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> Checked:
    """The file's facts once it passes, or Refused saying why not."""
    name = PurePath(upload.name or "file").name[:255]
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise _refused(
            f"{name} is {filesizeformat(upload.size)}; files must be "
            f"{filesizeformat(limit)} or smaller."
        )
    if upload.size == 0:
        raise _refused(f"{name} is empty.")
    expected = BY_EXTENSION.get(PurePath(name).suffix.lower())
    if expected is None:
        raise _refused(f"{name} cannot be attached: only {ACCEPTED} files are accepted.")
    found = sniff(upload)
    if found != expected:
        raise _refused(
            f"{name} is named as {KINDS[expected].label} but its content is "
            f"{_describe(found)}. Choose the right file, or save it as {ACCEPTED}."
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(upload, name, KINDS[expected].content_type, upload.size, digest.hexdigest())


def _is_bucket(storage) -> bool:
    # django-storages' S3Storage, without importing boto3 for local files.
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def open_stored(field_file):
    """The stored file opened for reading, and its size in bytes. From a
    bucket, the object's body as the server sends it: streamed through the
    view, not first copied to this machine's memory or disk."""
    storage = field_file.storage
    if not field_file.name:
        raise Http404("No file is stored.")
    if _is_bucket(storage):
        from botocore.exceptions import ClientError
        from storages.utils import clean_name

        key = storage._normalize_name(clean_name(field_file.name))
        try:
            found = storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                raise Http404("This file is no longer stored.") from error
            raise
        return found["Body"], found["ContentLength"]
    try:
        stream = storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("This file is no longer stored.") from error
    return stream, stream.size


def serve_private(field_file, *, filename: str, content_type: str, public: bool = False):
    """A stored file as a download, streamed from wherever it is stored. Never
    inline: whatever a browser would make of its content, it is saved, not
    shown."""
    stream, size = open_stored(field_file)
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Length"] = str(size)
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
