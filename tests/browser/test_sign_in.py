"""The sign-in form at /accounts/login/, and signed_in() through it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from demo.data import DEMO_PASSWORD
from tests.browser.axe import assert_accessible
from tests.browser.helpers import (
    LOGIN_PATH,
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    assert_skip_link_works,
    signed_in,
    visit,
)

pytestmark = [
    pytest.mark.usefixtures("demo"),
]


def test_sign_in_page(page, live_server):
    visit(page, live_server + LOGIN_PATH)
    assert_no_csp_violations(page)
    assert_accessible(page, context="sign-in, desktop")
    assert_skip_link_works(page)


def test_sign_in_page_on_a_phone(phone_page, live_server):
    visit(phone_page, live_server + LOGIN_PATH)
    assert_accessible(phone_page, context="sign-in, phone")
    assert_no_horizontal_scroll(phone_page)


def test_signing_in_with_a_demo_account(page, live_server):
    signed_in(page, live_server, "officer@herts.demo", DEMO_PASSWORD)
    assert urlsplit(page.url).path != LOGIN_PATH
    assert any(c["name"] == "sessionid" for c in page.context.cookies())
    assert_no_csp_violations(page)
    assert_accessible(page, context="first page after signing in")


def test_a_wrong_password_is_refused_accessibly(page, live_server):
    with pytest.raises(AssertionError, match="stayed on"):
        signed_in(page, live_server, "officer@herts.demo", "not-the-password")
    assert_accessible(page, context="sign-in form showing an error")
