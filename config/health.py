"""Readiness: /health/ checks each thing the service needs and answers 200
when all of them work (a warning still answers 200) and 503 when any does
not. /healthz/ (hubs.views.healthz) stays the cheap liveness check.

Anyone may read the status code and the one-word status; which check failed
and why is shown only to staff who are signed in, or to a request carrying
`Authorization: Bearer <HEALTH_CHECK_TOKEN>`. JSON with `?format=json` or
`Accept: application/json`; a page otherwise.

The checks (django-health-check 4.x: a check is a dataclass with a `run`
method that raises to report trouble, listed on the view):

- database: SELECT 1 on a connection of its own;
- cache: a value set and read back;
- broker: the Celery broker (Redis) answers a ping; "not configured" when
  there is none (no REDIS_URL: tasks run in the web process);
- storage: a small file written, read and deleted in the default storage;
- outbox: no email has waited to be sent longer than
  HEALTH_OUTBOX_PENDING_MINUTES (a worker or the broker is down); more than
  HEALTH_OUTBOX_FAILED_MAX failed in the last day is a warning.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from health_check import Cache, Database, Storage
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView, MediaType

BROKER_TIMEOUT_SECONDS = 3


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker answers, if there is one."""

    note: str = dataclasses.field(default="", repr=False)

    def run(self) -> None:
        if not settings.REDIS_URL:
            self.note = "not configured: tasks run in the web process"
            return
        import redis

        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            raise ServiceUnavailable("the broker (Redis) did not answer") from exc
        finally:
            client.close()


@dataclasses.dataclass
class Outbox(HealthCheck):
    """Emails are going out: none has been due for long, few have failed."""

    note: str = dataclasses.field(default="", repr=False)

    async def run(self) -> None:
        # On the request's own thread and connection (thread-sensitive).
        stale, failed = await sync_to_async(outbox_trouble)()
        if stale:
            raise ServiceUnavailable(
                f"{stale} email(s) waiting more than "
                f"{settings.HEALTH_OUTBOX_PENDING_MINUTES} minutes to be sent"
            )
        if failed > settings.HEALTH_OUTBOX_FAILED_MAX:
            raise ServiceWarning(f"{failed} email(s) could not be sent in the last day")


def outbox_trouble() -> tuple[int, int]:
    """How many emails are overdue, and how many failed in the last day."""
    from notices.models import OutboxMessage, OutboxStatus

    now = timezone.now()
    cutoff = now - timedelta(minutes=settings.HEALTH_OUTBOX_PENDING_MINUTES)
    overdue = Q(status=OutboxStatus.PENDING, available_at__lte=cutoff) | Q(
        status=OutboxStatus.SENDING, claimed_at__lte=cutoff
    )
    try:
        stale = OutboxMessage.objects.filter(overdue).count()
        failed = OutboxMessage.objects.filter(
            # claimed_at: when it was last tried, and so when it failed.
            status=OutboxStatus.FAILED,
            claimed_at__gte=now - timedelta(days=1),
        ).count()
    except DatabaseError as exc:
        raise ServiceUnavailable("the database did not answer") from exc
    return stale, failed


NAMES = {Database: "database", Cache: "cache", Broker: "broker", Storage: "storage"}


def check_name(check: HealthCheck) -> str:
    return NAMES.get(type(check), type(check).__name__.lower())


def status_of(result: HealthCheckResult) -> str:
    if result.error is None:
        return "skipped" if getattr(result.check, "note", "") else "ok"
    return "warning" if isinstance(result.error, ServiceWarning) else "unavailable"


class HealthView(HealthCheckView):
    """Runs every check at once; answers as described at the top."""

    checks = (Database, Cache, Broker, Storage, Outbox)

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        statuses = [status_of(result) for result in self.results]
        overall = (
            "unavailable"
            if "unavailable" in statuses
            else "warning"
            if "warning" in statuses
            else "ok"
        )
        code = 503 if overall == "unavailable" else 200
        detailed = await sync_to_async(may_see_details)(request)
        checks = [
            {
                "name": check_name(result.check),
                "status": status,
                "message": str(result.error) if result.error else getattr(result.check, "note", ""),
                "seconds": round(result.time_taken, 3),
            }
            for result, status in zip(self.results, statuses, strict=True)
        ]
        if wants_json(request):
            body: dict[str, Any] = {"status": overall}
            if detailed:
                body["checks"] = {c.pop("name"): c for c in checks}
            return JsonResponse(body, status=code)
        context = {"overall": overall, "checks": checks if detailed else None}
        # Rendered on the request's thread: the page's context reads the database.
        return await sync_to_async(render)(request, "health.html", context, status=code)


def wants_json(request: HttpRequest) -> bool:
    if request.GET.get("format") == "json":
        return True
    try:
        media = list(MediaType.parse_header(request.headers.get("accept", "*/*")))
    except ValueError:
        return False
    return bool(media) and media[0].mime_type in {"application/json", "application/*"}


def may_see_details(request: HttpRequest) -> bool:
    token = settings.HEALTH_CHECK_TOKEN
    given = request.headers.get("authorization", "")
    offered = given.removeprefix("Bearer ").encode()
    if token and given.startswith("Bearer ") and hmac.compare_digest(offered, token.encode()):
        return True
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated and user.is_staff)
    except DatabaseError:  # the session cannot be read: the database is down
        return False


health = HealthView.as_view()
