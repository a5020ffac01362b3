"""Going through the test provider's pages without a browser, as a person
would: its sign-in form, then its consent form. Returns where the provider
sends the person back to (our callback, with the code and state)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import requests

INPUT = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _hidden_inputs(html: str) -> dict[str, str]:
    found = {}
    for attributes in INPUT.findall(html):
        attrs = dict(ATTRIBUTE.findall(attributes))
        if attrs.get("type") == "hidden" and "name" in attrs:
            found[attrs["name"]] = unescape(attrs.get("value", ""))
    return found


def through_provider(authorize_url: str, *, username: str, password: str) -> str:
    provider = urlsplit(authorize_url).netloc
    with requests.Session() as browser:
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        for _ in range(6):
            if response.status_code in (301, 302):
                location = urljoin(response.url, response.headers["Location"])
                if urlsplit(location).netloc != provider:
                    return location  # back to the site being signed in to
                response = browser.get(location, allow_redirects=False, timeout=10)
                continue
            assert response.status_code == 200, response.text[:500]
            token = browser.cookies.get("op_csrftoken")
            if 'name="password"' in response.text:  # the provider's sign-in form
                data = {
                    "csrfmiddlewaretoken": token,
                    "username": username,
                    "password": password,
                    "next": _hidden_inputs(response.text).get("next", ""),
                }
                response = browser.post(
                    response.url.split("?")[0], data=data, allow_redirects=False, timeout=10
                )
            else:  # the consent form
                data = {**_hidden_inputs(response.text), "allow": "Authorize"}
                data["csrfmiddlewaretoken"] = token
                action = urljoin(response.url, "/openid/authorize")
                response = browser.post(action, data=data, allow_redirects=False, timeout=10)
        raise AssertionError(f"The provider did not send the person back: {response.text[:500]}")
