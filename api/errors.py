"""Every error the API sends has one shape: `detail` in words, and where a
rule refused, its `rule` slug and the `field` it belongs to, with any other
problems in `problems`. A refusal that says the step is not yours is a 403
(as on the pages); one that says the record is not in a state for it (already
submitted, not yet approved, or changed meanwhile) a 409; anything else
about what was sent a 400."""

from __future__ import annotations

from rest_framework import status as http
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from hubs.drafts import STALE
from hubs.refusals import Refusal, Refused

# Rules that refuse because of where the record is in its life.
CONFLICTS = frozenset(
    {STALE, "not_editable", "wrong_instalment_status", "not_signed", "not_submitted"}
)


def _refusal_body(refusal: Refusal) -> dict:
    return {"detail": refusal.message, "rule": refusal.rule, "field": refusal.field}


def refused_response(refused: Refused) -> Response:
    refusal = refused.refusal
    if refusal.is_role:
        status = http.HTTP_403_FORBIDDEN
    elif refusal.rule in CONFLICTS:
        status = http.HTTP_409_CONFLICT
    else:
        status = http.HTTP_400_BAD_REQUEST
    body = _refusal_body(refusal)
    body["problems"] = [_refusal_body(r) for r in refused.refusals]
    return Response(body, status=status)


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        return refused_response(exc)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        problems = [
            {"detail": str(message), "rule": "invalid_input", "field": field}
            for field, messages in _flatten(exc.detail)
            for message in messages
        ]
        first = problems[0] if problems else {"detail": "Check what was sent.", "field": None}
        response.data = {
            "detail": first["detail"],
            "rule": "invalid_input",
            "field": first["field"],
            "problems": problems,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "rule": None, "field": None}
    return response


def _flatten(detail, field=None):
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, key if field is None else f"{field}.{key}")
    elif isinstance(detail, list):
        if all(not isinstance(d, dict | list) for d in detail):
            yield field, detail
        else:
            for item in detail:
                yield from _flatten(item, field)
    else:
        yield field, [detail]
