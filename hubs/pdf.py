"""Render HTML to PDF with WeasyPrint, fetching nothing but our own static files.

A PDF is rendered from text that people typed (agreements, reports), so an
``<img>``, ``<link>`` or ``@import`` in it must not reach the file system or
the network: ``file:///etc/passwd`` would end up inside the PDF, and
``http://169.254.169.254/`` is a cloud metadata service. The fetcher below
never opens a socket or an arbitrary file. It serves:

- ``data:`` URLs, decoded in memory;
- our own static files (``/static/css/pdf.css``), found through Django's
  staticfiles finders or ``STATIC_ROOT``, with no way out of those folders.

Everything else is refused and WeasyPrint leaves that resource out.

Use::

    from hubs.pdf import render_pdf

    pdf_bytes = render_pdf(html)  # links such as "/static/css/pdf.css" work
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils._os import safe_join

# WeasyPrint reports each rendering step at INFO (its own style sheets as it
# is imported, too); that is noise in our logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# Relative links in the HTML resolve against this made-up origin; the fetcher
# maps it to files on disk, so nothing is ever requested from it.
PDF_BASE_URL = "https://pdf.hubcommission.invalid/"


class RefusedURL(ValueError):
    """A PDF asked for something outside our static files."""


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Return the PDF for ``html``. Only static files and data: URLs are fetched."""
    base_url = base_url or PDF_BASE_URL
    fetcher = StaticOnlyFetcher(base_url=base_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint 70 fetcher: a ``URLFetcher`` subclass with its own ``fetch``."""

    def __init__(self, *, base_url: str = PDF_BASE_URL):
        # The parent only ever handles data: URLs (its DataHandler).
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        base = urlsplit(base_url)
        self._origin = (base.scheme.lower(), base.netloc.lower())

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if (scheme, parts.netloc.lower()) != self._origin:
            raise RefusedURL(f"PDFs may not fetch {url!r}")
        path = static_file_path(parts.path)
        if path is None:
            raise RefusedURL(f"PDFs may fetch only our own static files, not {url!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_file_path(url_path: str) -> Path | None:
    """The file on disk for a URL path under STATIC_URL, or None."""
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    url_path = unquote(url_path)
    if not url_path.startswith(prefix) or "\x00" in url_path or "\\" in url_path:
        return None
    relative = url_path[len(prefix) :]
    if not relative or ".." in relative.split("/"):
        return None
    relative = posixpath.normpath(relative)
    if relative.startswith(("/", "..")) or relative == ".":
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    return _from_static_root(relative)


def _from_static_root(relative: str) -> Path | None:
    root = getattr(settings, "STATIC_ROOT", None)
    if not root:
        return None
    try:
        path = Path(safe_join(str(root), relative))
    except Exception:  # safe_join raises SuspiciousFileOperation on the way out
        return None
    real_root = Path(root).resolve()
    if path.is_file() and path.resolve().is_relative_to(real_root):
        return path
    return None
