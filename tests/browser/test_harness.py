"""The checks themselves catch what they are for. No server: each page is
served by the browser's own request routing, so nothing leaves the machine."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import (
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    assert_skip_link_works,
    visit,
)

URL = "http://127.0.0.1:9/harness/"  # a closed port: only the route below answers
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'"

CLEAN = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Harness</title>
</head><body><a class="skip" href="#main">Skip to main content</a>
<main id="main" tabindex="-1"><h1>Harness</h1><p>Plain text.</p>
<p>Some words with <a href="/a">a link</a> in them.</p></main></body></html>"""


def serve(page, body: str, *, status: int = 200, csp: str | None = None) -> None:
    headers = {"Content-Security-Policy": csp} if csp else {}
    page.route(
        URL,
        lambda route: route.fulfill(
            status=status, body=body, content_type="text/html; charset=utf-8", headers=headers
        ),
    )


def test_a_clean_page_passes_every_check(page):
    serve(page, CLEAN, csp=STRICT_CSP)
    visit(page, URL)
    assert_no_csp_violations(page)
    assert_accessible(page, context="harness")
    assert_skip_link_works(page)


def test_axe_reports_each_violation_readably(page):
    serve(page, CLEAN.replace("<p>Plain text.</p>", '<img src="/x.png"><button></button>'))
    page.goto(URL)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, context="broken harness page")
    message = str(failure.value)
    assert "(broken harness page)" in message
    assert "image-alt (critical)" in message
    assert "button-name (critical)" in message
    assert '<img src="/x.png">' in message
    assert "main > img" in message or "img" in message


def test_axe_runs_under_a_strict_csp(page):
    serve(page, CLEAN.replace("<p>Plain text.</p>", '<img src="/x.png">'), csp=STRICT_CSP)
    page.goto(URL)
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_inline_script_and_style_refused_by_csp_are_reported(page):
    body = CLEAN.replace(
        "<p>Plain text.</p>", '<p style="color: red">Red</p><script>let x = 1;</script>'
    )
    serve(page, body, csp=STRICT_CSP)
    page.goto(URL)
    with pytest.raises(AssertionError, match="Content-Security-Policy refused") as failure:
        assert_no_csp_violations(page)
    assert "script-src" in str(failure.value) and "style-src" in str(failure.value)


def test_visit_fails_on_console_errors_and_bad_status(page):
    serve(page, CLEAN.replace("</body>", '<script src="/missing.js"></script></body>'))
    with pytest.raises(AssertionError, match="console"):
        visit(page, URL)
    page.unroute(URL)
    serve(page, CLEAN, status=500)
    with pytest.raises(AssertionError, match="answered 500"):
        visit(page, URL)


def test_a_missing_skip_link_and_sideways_scroll_are_caught(phone_page):
    wide = CLEAN.replace('<a class="skip" href="#main">Skip to main content</a>', "").replace(
        "<p>Plain text.</p>", '<pre class="w">' + "x" * 200 + "</pre>"
    )
    serve(phone_page, wide)
    visit(phone_page, URL)
    with pytest.raises(AssertionError, match="not the skip link"):
        assert_skip_link_works(phone_page)
    with pytest.raises(AssertionError, match="scrolls sideways at 390px"):
        assert_no_horizontal_scroll(phone_page)
