"""The benchmark's own parts (query header, floor page) and the friendly
error page people see when the database is away."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _bench_middleware(settings):
    # Both through pytest-django's `settings`, which undoes them in order after
    # the test; mixing it with @override_settings left the bench URLs behind.
    settings.ROOT_URLCONF = "config.urls_bench"
    settings.MIDDLEWARE = ["scale.middleware.QueryCountHeader", *settings.MIDDLEWARE]


def test_floor_page_counts_its_queries(settings, build):
    _bench_middleware(settings)
    cast = build("herts")
    client = Client()
    assert client.get("/bench/floor/").status_code == 302  # sign in first
    sign_in(client, cast.officer)
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert b"Benchmark floor" in response.content
    assert 1 <= int(response["X-Queries"]) <= 6


def test_a_hub_page_counts_more_queries_than_the_floor(settings, build):
    _bench_middleware(settings)
    cast = build("herts")
    client = Client()
    sign_in(client, cast.officer)
    floor = int(client.get("/bench/floor/")["X-Queries"])
    dashboard = int(client.get(f"/h/{cast.hub.slug}/")["X-Queries"])
    assert dashboard > floor


def test_database_outage_shows_the_friendly_error_page(build, monkeypatch):
    cast = build("herts")
    client = Client(raise_request_exception=False)
    sign_in(client, cast.officer)

    def database_away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("commissioning.views.hub_access", database_away)
    response = client.get(f"/h/{cast.hub.slug}/commissions/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, something went wrong" in body
    assert "try again" in body
    assert "Traceback" not in body and "OperationalError" not in body
