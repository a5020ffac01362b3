"""Reads for notices: a person's feed, their unread count, their preference."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hubs.models import Hub
from notices.models import Notification

UNREAD_CAP = 99  # the header shows "99+" beyond this; counting further is wasted work


def feed_for(*, user: Any, hub: Hub) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, hub=hub).order_by("-created_at", "-pk")


def unread_count(*, user: Any, hub: Hub) -> int:
    unread = Notification.objects.filter(user=user, hub=hub, read_at__isnull=True)
    return unread.values("pk")[: UNREAD_CAP + 1].count()
