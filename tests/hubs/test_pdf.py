"""hubs/pdf.py: PDFs render, and fetch nothing but our static files and data: URLs."""

from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader

from hubs.pdf import PDF_BASE_URL, RefusedURL, StaticOnlyFetcher, render_pdf, static_file_path

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_it_renders_html_to_pdf_text():
    html = '<link rel="stylesheet" href="/static/css/pdf.css"><h1>Partnership agreement</h1>'
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert "Partnership agreement" in text_of(pdf)


def test_it_serves_our_static_files():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(PDF_BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_it_serves_data_urls():
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    response = StaticOnlyFetcher().fetch(url)
    assert response.read() == PNG


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.169.254/static/css/pdf.css",
        "https://example.com/static/css/pdf.css",
        "ftp://example.com/x",
        PDF_BASE_URL + "etc/passwd",
        PDF_BASE_URL + "static/../../../../etc/passwd",
        PDF_BASE_URL + "static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        PDF_BASE_URL + "static/css/..%2f..%2f..%2fconfig%2fsettings%2fbase.py",
        PDF_BASE_URL + "static//etc/passwd",
        PDF_BASE_URL + "static/css/%00pdf.css",
        PDF_BASE_URL + "static/css/no-such-file.css",
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_traversal_paths_find_no_file():
    assert static_file_path("/static/../manage.py") is None
    assert static_file_path("/static/css/../../manage.py") is None
    assert static_file_path("/static/") is None
    assert static_file_path("/elsewhere/css/pdf.css") is None


def test_a_pdf_referencing_local_files_or_metadata_leaves_them_out(monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *a, **k: opened.append(a))
    html = """
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <img src="http://169.254.169.254/latest/meta-data/iam/">
      <img src="file:///etc/passwd">
      <p>Body text</p>
    """
    pdf = render_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)
    assert "Body text" in text
    assert "root:" not in text
    assert not reader.attachments
    assert b"root:x:0:0" not in pdf
    assert opened == []  # no network or file handler was ever asked


def test_a_custom_base_url_only_maps_to_static_files():
    pdf = render_pdf('<img src="static/css/pdf.css"><p>Hello</p>', base_url="http://testserver/")
    assert "Hello" in text_of(pdf)
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher(base_url="http://testserver/").fetch("http://testserver/admin/")
