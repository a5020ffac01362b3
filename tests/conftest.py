from __future__ import annotations

import pytest
from django.db import connection

from demo.data import HUBS
from demo.management.commands.load_demo import Cast, Pipeline, build_hub

SPECS = {spec["slug"]: spec for spec in HUBS}
POLICY_SLUGS = sorted(SPECS)


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


@pytest.fixture
def build():
    """Build one of the five seed hubs exactly as the demo configures it:
    `cast = build("herts")` gives the hub, its people and its partners."""

    def _build(slug: str) -> Cast:
        return build_hub(SPECS[slug])

    return _build


@pytest.fixture
def pipeline():
    """Drive a hub's commissions through the real services (for setup)."""
    return Pipeline


@pytest.fixture
def broker_down():
    """Celery for real (not eager), pointed at a port where nothing listens."""
    from config.celery import app

    keys = ("task_always_eager", "broker_url")
    saved = {key: app.conf[key] for key in keys}

    def forget_connections():
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    yield
    app.conf.update(saved)
    forget_connections()
