"""Every request has an id: the proxy's X-Request-ID when it is well formed,
otherwise a new one. It goes back in the response's X-Request-ID, on
`request.request_id`, and on every log record written while the request runs
(and by the Celery tasks it enqueues), so one id finds one request's lines.

Log lines name the user by id only, and the path without its query string
(which may carry a token): no email addresses or names.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import sentry_sdk
from celery import signals
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

from config.error_reports import EMAIL

HEADER = "X-Request-ID"
# Letters, digits and - _ . : up to 64 characters, as proxies make them; anything
# else (a line break, a megabyte) is replaced, never copied into our logs.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "request_context", default=None
)
access_log = logging.getLogger("hubcommission.request")


def current_request_id() -> str | None:
    context = _context.get()
    return context["request_id"] if context else None


def request_id_from(value: str | None) -> str:
    """The proxy's id if it is well formed, otherwise a new one."""
    if value and WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives the request its id and writes one access-log line when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        _sentry_tag(request_id)
        context = {"request_id": request_id, "method": request.method, "path": request.path}
        token = _context.set(context)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _context.reset(token)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        # After every middleware has run, so request.user is there (the MFA
        # middleware reads it for every view anyway: no query is added).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context = _context.get()
            if context is not None:
                context["user_id"] = user.pk
            _sentry_user(user.pk)


def _sentry_user(user_id: int) -> None:
    """Error reports name the user by id, nothing more (config.error_reports)."""
    if sentry_sdk.get_client().is_active():
        sentry_sdk.set_user({"id": str(user_id)})


def _sentry_tag(request_id: str) -> None:
    """An error report names the request, to find its log lines."""
    if sentry_sdk.get_client().is_active():
        sentry_sdk.set_tag("request_id", request_id)


class RequestContextFilter(logging.Filter):
    """Puts the current request's id (and method, path, user id) on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        for key in ("request_id", "method", "path", "user_id", "task"):
            if not hasattr(record, key):
                setattr(record, key, context.get(key, "-" if key == "request_id" else None))
        return True


class JsonLines(JsonFormatter):
    """One JSON object a line, with these fields only: whatever else a library
    puts on a record (Django's logs carry the whole request) is left out."""

    FIELDS = (
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "user_id",
        "task",
        "exc_info",
        "stack_info",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in list(log_data):
            if key not in self.FIELDS or log_data[key] is None:
                del log_data[key]
        # An address in a message or an exception's words is not kept either.
        for key in ("message", "exc_info", "stack_info"):
            if isinstance(log_data.get(key), str):
                log_data[key] = EMAIL.sub("[email]", log_data[key])


# ── Celery: a task logs the id of the request that enqueued it ───────────────


@signals.before_task_publish.connect
def _send_request_id(headers: dict | None = None, **kwargs: Any) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


_task_tokens: dict[str, contextvars.Token] = {}


@signals.task_prerun.connect
def _task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    # Run eagerly (no broker), a task runs inside the request: it keeps its context.
    context = {**(_context.get() or {})}
    context["request_id"] = request_id or context.get("request_id") or "-"
    if task is not None:
        context["task"] = task.name
    if task_id:
        _task_tokens[task_id] = _context.set(context)


@signals.task_postrun.connect
def _task_ended(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        _context.reset(token)
