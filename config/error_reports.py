"""Error reports (sentry-sdk, on when SENTRY_DSN is set) without personal data.

What leaves the machine: the exception, its stack (without the frames' local
variables, which hold people's records), the URL's path, the request's method
and safe headers, and the user's id. What does not: email addresses (anywhere
in the report, replaced by "[email]"), request bodies, cookies, query strings'
tokens, and the user's email, name or address.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Query string parameters whose values are replaced (a sign-in link's key...).
SECRET_PARAMS = re.compile(r"token|key|code|secret|pass|sig|auth|session|email", re.I)
# Field names whose values are removed wherever they are in the report.
PERSONAL_KEYS = ["email", "first_name", "last_name", "name", "full_name", "username", "phone"]
REDACTED = "[Filtered]"


def sentry_options(*, environment: str, traces_sample_rate: float) -> dict[str, Any]:
    return {
        "environment": environment,
        "traces_sample_rate": traces_sample_rate,
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "event_scrubber": EventScrubber(
            denylist=[*DEFAULT_DENYLIST, *PERSONAL_KEYS], recursive=True
        ),
        "before_send": scrub,
        "before_send_transaction": scrub,
        "before_breadcrumb": lambda crumb, hint: _strings(crumb),
    }


def scrub(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """The report with personal data taken out (sentry's before_send)."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        headers = request.get("headers") or {}
        for name in list(headers):
            if name.lower() in {"cookie", "authorization", "x-forwarded-for", "x-real-ip"}:
                del headers[name]
        if request.get("query_string"):
            request["query_string"] = _query(request["query_string"])
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if user.get("id") else {}
    return _strings(event)


def _query(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    pairs = parse_qsl(value, keep_blank_values=True)
    return urlencode([(k, REDACTED if SECRET_PARAMS.search(k) else v) for k, v in pairs])


def _strings(value: Any) -> Any:
    """Every email address in `value` (a report, or a part of one) replaced."""
    if isinstance(value, str):
        return EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strings(v) for v in value]
    return value
