"""/health/ (readiness) checks the database, the cache, the Celery broker,
storage and the outbox; anyone gets the status code, only staff or the
holder of HEALTH_CHECK_TOKEN the details. It answers 503 when PostgreSQL is
stopped (a PostgreSQL server of the test's own, behind the app in a
subprocess), when the S3 server is stopped (moto's, tests/servers/s3.py),
when the broker does not answer, and when emails wait too long."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notices.models import OutboxMessage, OutboxStatus
from tests.access import ALL_200, assert_matrix, personas
from tests.auth_helpers import sign_in
from tests.factories import UserFactory
from tests.ops.app_server import app_server, database_url_for_subprocess, fetch, throwaway_postgres
from tests.servers.s3 import _forget_storages, start_s3_server, stop_s3_server

pytestmark = pytest.mark.django_db

TOKEN = "health-token-for-tests"
CHECKS = {"database", "cache", "broker", "storage", "outbox"}

ACCESS_MATRIX = {"health": ("get", ALL_200)}


@pytest.fixture(autouse=True)
def token(settings, tmp_path):
    settings.HEALTH_CHECK_TOKEN = TOKEN
    settings.MEDIA_ROOT = tmp_path / "media"


def report(client: Client | None = None, **headers: str):
    client = client or Client()
    headers = {"authorization": f"Bearer {TOKEN}"} | headers
    response = client.get(reverse("health"), {"format": "json"}, headers=headers)
    return response, json.loads(response.content)


def test_every_persona_gets_the_status(build, django_user_model):
    people = personas(build("blmk"), build("herts"), django_user_model)
    assert_matrix(people, "health", [], "get", ACCESS_MATRIX["health"][1])


def test_it_reports_each_dependency_to_the_token_holder():
    response, body = report()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    for name in CHECKS - {"broker"}:
        assert body["checks"][name]["status"] == "ok", name
    broker = body["checks"]["broker"]
    if django_settings.REDIS_URL:
        assert broker["status"] == "ok"
    else:
        assert broker["status"] == "skipped"
        assert "not configured" in broker["message"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_public_gets_the_status_without_details():
    response = Client().get(reverse("health"), {"format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


def test_a_wrong_token_gets_no_details():
    _, body = report(authorization="Bearer not-the-token")
    assert body == {"status": "ok"}


def test_accept_json_gives_json():
    response = Client().get(reverse("health"), headers={"accept": "application/json"})
    assert response["Content-Type"] == "application/json"


def test_staff_read_the_details_on_the_page():
    staff = UserFactory(is_staff=True)
    client = Client()
    sign_in(client, staff)
    page = client.get(reverse("health")).content.decode()
    assert "<caption>What the service depends on" in page
    for name in CHECKS:
        assert f'<th scope="row">{name.capitalize()}</th>' in page


def test_the_page_tells_others_only_whether_it_works():
    client = Client()
    sign_in(client, UserFactory())
    page = client.get(reverse("health")).content.decode()
    assert "Service status: working" in page
    assert "<table" not in page


def test_emails_waiting_too_long_fail_it(settings):
    settings.HEALTH_OUTBOX_PENDING_MINUTES = 15
    OutboxMessage.objects.create(to_email="a@example.org", subject="Hi", body="x")
    late = timezone.now() - timedelta(minutes=16)
    OutboxMessage.objects.create(
        to_email="b@example.org", subject="Hi", body="x", available_at=late
    )

    response, body = report()

    assert response.status_code == 503 and body["status"] == "unavailable"
    assert body["checks"]["outbox"]["status"] == "unavailable"
    assert "1 email(s) waiting more than 15 minutes" in body["checks"]["outbox"]["message"]
    assert Client().get(reverse("health")).status_code == 503, "the code is public"


def test_emails_that_failed_are_a_warning_that_still_answers_200(settings):
    settings.HEALTH_OUTBOX_FAILED_MAX = 1
    failed = {"subject": "Hi", "body": "x", "status": OutboxStatus.FAILED}
    long_ago = timezone.now() - timedelta(days=2)
    for address in ("a@example.org", "b@example.org"):
        OutboxMessage.objects.create(to_email=address, claimed_at=timezone.now(), **failed)
    # Failed the day before yesterday: no longer counted.
    OutboxMessage.objects.create(to_email="c@example.org", claimed_at=long_ago, **failed)

    response, body = report()

    assert response.status_code == 200 and body["status"] == "warning"
    assert body["checks"]["outbox"]["status"] == "warning"
    assert "2 email(s) could not be sent" in body["checks"]["outbox"]["message"]


def test_a_broker_that_does_not_answer_fails_it(settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response, body = report()

    assert response.status_code == 503
    assert body["checks"]["broker"]["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"


def test_storage_stopped_fails_it(settings):
    s3 = start_s3_server()
    try:
        bucket = s3.create_bucket()
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage_setting(bucket)}
        _forget_storages()
        response, body = report()
        assert response.status_code == 200, body
        assert body["checks"]["storage"]["status"] == "ok"
        # The check's file is gone again.
        assert s3.client().list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0

        stop_s3_server(s3)
        response, body = report()
        assert response.status_code == 503
        assert body["checks"]["storage"]["status"] == "unavailable"
    finally:
        stop_s3_server(s3)
        _forget_storages()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_postgresql_stopped_fails_it_and_liveness_too(tmp_path):
    with throwaway_postgres() as db:
        env = {"DATABASE_URL": db.url, "HEALTH_CHECK_TOKEN": TOKEN}
        with app_server(tmp_path, env) as app:
            auth = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
            up = fetch(f"{app.url}/health/", headers=auth)
            assert up.status == 200, up.body
            assert json.loads(up.body)["checks"]["database"]["status"] == "ok"
            assert fetch(f"{app.url}/healthz/").status == 200

            db.stop()

            down = fetch(f"{app.url}/health/", headers=auth)
            assert down.status == 503
            checks = json.loads(down.body)["checks"]
            assert checks["database"]["status"] == "unavailable"
            assert checks["outbox"]["message"] == "Unavailable: the database did not answer"
            assert checks["cache"]["status"] == "ok"
            assert fetch(f"{app.url}/health/").status == 503
            assert fetch(f"{app.url}/healthz/").status == 500


def test_the_app_in_its_own_process_answers_it(tmp_path, transactional_db):
    """As compose and a load balancer see it: a real server, on either database."""
    env = {"DATABASE_URL": database_url_for_subprocess(tmp_path), "HEALTH_CHECK_TOKEN": TOKEN}
    with app_server(tmp_path, env) as app:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        answer = fetch(f"{app.url}/health/?format=json", headers=auth)
        assert answer.status == 200, answer.body
        body = json.loads(answer.body)
        assert body["checks"]["broker"]["status"] == "skipped"
        assert set(body["checks"]) == CHECKS
