"""The API's worlds: two demo hubs (Hertfordshire, and Kent as "another
hub"), each with one partnership walked through the real services until it
is signed, and tokens issued through api.services as a hub admin would.

    api = world.client(world.herts.officer)     # a test client with a token
    api.get(world.url("herts", "commissions"))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from api.services import token_issue
from commissioning.models import Commission
from commissioning.workflow import Stage


class TokenClient(Client):
    """A test client that sends `Authorization: Bearer <key>` on every request."""

    def __init__(self, key: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.key = key

    def request(self, **request):
        if self.key is not None:
            request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.key}")
        return super().request(**request)

    def post_json(self, path: str, data: dict | None = None):
        return self.post(path, data or {}, content_type="application/json")


@dataclass
class Side:
    """One hub of the world: its cast and its live partnership."""

    cast: Any
    commission: Commission
    keys: dict[int, str] = field(default_factory=dict)

    @property
    def hub(self):
        return self.cast.hub

    @property
    def officer(self):
        return self.cast.officer

    @property
    def partner(self):
        return self.cast.contacts[self.commission.partner_id]

    @property
    def other_partner(self):
        """A contact of another of the hub's partners."""
        return next(u for pk, u in self.cast.contacts.items() if pk != self.commission.partner_id)


@dataclass
class World:
    herts: Side
    kent: Side

    def side(self, slug: str) -> Side:
        return {"herts": self.herts, "kent": self.kent}[slug]

    def key(self, side: Side, user) -> str:
        if user.pk not in side.keys:
            _, side.keys[user.pk] = token_issue(
                hub=side.hub, user=user, name="Tests", by=side.cast.admin
            )
        return side.keys[user.pk]

    def client(self, side: Side, user) -> TokenClient:
        return TokenClient(self.key(side, user))


def live_side(build, pipeline, slug: str) -> Side:
    cast = build(slug)
    p = pipeline(cast)
    commission = p._open("Inclusive ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
        step(commission)
    commission = Commission.objects.select_related("hub", "policy", "partner").get(pk=commission.pk)
    assert commission.status == Stage.MONITORING
    return Side(cast, commission)


@pytest.fixture
def world(build, pipeline) -> World:
    return World(herts=live_side(build, pipeline, "herts"), kent=live_side(build, pipeline, "kent"))


def url(name: str, hub_slug: str, *args) -> str:
    return reverse(f"api:{name}", args=[hub_slug, *args])
