"""Two guards every response passes: a limit on the size of what is sent to
us, and no caching of what is private."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve

# Read from a body of unknown length at a time, and kept in memory up to this
# much before it goes to a temporary file (never more than the page's limit).
_CHUNK = 64 * 1024
_IN_MEMORY = 1024 * 1024


class RequestBodyLimit:
    """Refuses with 413 a request body larger than its page allows.

    Every page allows settings.REQUEST_BODY_MAX_BYTES; the pages named in
    settings.REQUEST_BODY_LIMITS (by URL name) allow more, to signed-in people
    only. A declared Content-Length is checked before a byte is read. A body of
    unknown length (chunked) is read here up to the limit, and refused as soon
    as it goes over; the view then reads what was kept, as if it had been sent
    with its length. The reverse proxy and gunicorn have limits of their own
    (docker-compose.yml); this one holds wherever the app runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                return HttpResponse("Content-Length is not a number.", status=400)
            if length > settings.REQUEST_BODY_MAX_BYTES:
                limit = self.limit(request)
                if length > limit:
                    return too_large(limit)
        elif _has_body_of_unknown_length(request):
            kept = self.keep_body(request)
            if isinstance(kept, HttpResponse):
                return kept
            response = self.get_response(request)
            response._resource_closers.append(kept.close)  # as Django closes uploads
            return response
        return self.get_response(request)

    def limit(self, request: HttpRequest) -> int:
        """The most this request's page accepts."""
        default = settings.REQUEST_BODY_MAX_BYTES
        try:
            name = resolve(request.path_info, getattr(request, "urlconf", None)).view_name
        except Resolver404:
            return default
        larger = settings.REQUEST_BODY_LIMITS.get(name)
        if larger is None or not request.user.is_authenticated:
            return default
        return max(default, larger)

    def keep_body(self, request: HttpRequest) -> HttpResponse | IO[bytes]:
        """The body, read up to the limit and kept for the view; or the
        refusal once it goes over."""
        limit = self.limit(request)
        stream = request.environ["wsgi.input"]
        # Open for the whole request: closed with the response.
        kept = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)  # noqa: SIM115
        size = 0
        while chunk := stream.read(min(_CHUNK, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                kept.close()
                return too_large(limit)
            kept.write(chunk)
        kept.seek(0)
        # What Django's request reads its body from, as if sent with a length.
        request._stream = LimitedStream(kept, size)
        request.META["CONTENT_LENGTH"] = str(size)
        return kept


def _has_body_of_unknown_length(request: HttpRequest) -> bool:
    """A chunked body from a server that ends the input at the body's end
    (gunicorn says so with wsgi.input_terminated). Without that promise,
    Django reads nothing from a request without Content-Length, and neither
    does this."""
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked and bool(request.environ.get("wsgi.input_terminated"))


def too_large(limit: int) -> HttpResponse:
    return HttpResponse(
        f"The request is too large: this page accepts at most {filesizeformat(limit)}.",
        status=413,
        content_type="text/plain; charset=utf-8",
    )


class PrivateNoStore:
    """`Cache-Control: no-store, private` on every response to a signed-in
    person and on every download (an export, a document), unless the view
    said otherwise: a shared computer's browser, or a cache between it and us,
    keeps no copy of someone's pages. Public pages to anonymous visitors are
    left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        download = "attachment" in response.get("Content-Disposition", "")
        user = getattr(request, "user", None)
        if download or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store, private"
        return response
