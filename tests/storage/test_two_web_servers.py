"""Two web servers, one service: two gunicorn processes (A and B) on the same
PostgreSQL database, the same Redis cache and the same S3 bucket. What one
does, the other knows: a session from A works on B, a file uploaded and an
agreement signed through A download through B, a sign-in limit reached on A
holds on B, and a one-time code used on A cannot be used again on B."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
import requests
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.db import connection
from django.urls import reverse

from agreements.models import Agreement, AgreementStatus
from commissioning.models import ProposalAttachment
from tests.auth_helpers import give_authenticator
from tests.commissioning.calls.test_services import draft, publish
from tests.commissioning.calls.test_uploads import PDF
from tests.storage.two_servers import form_with, start_gunicorn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL to run it"),
]

PASSWORD = "two-servers-pass-2026"
LOGIN = "/accounts/login/"
TOTP_PERIOD = 30
PUBLIC_HOST = "localhost"


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def world(transactional_db, build, pipeline):
    """Kent, committed: a call with a partner's draft, and an agreement that
    partner is to sign."""
    cast = build("kent")
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    key = next(k for k, partner in cast.partners.items() if partner.pk == c.partner_id)
    proposal = draft(publish(cast, pipeline), cast, key)
    for user in (cast.contacts[c.partner_id], cast.officer, *cast.contacts.values()):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    # The officer's authenticator app: the demo's, or one with the tests' secret.
    secret = decrypt(give_authenticator(cast.officer).data["secret"])
    return cast, c, proposal, secret


@pytest.fixture
def servers(world, s3_server, tmp_path):
    bucket = s3_server.create_bucket()
    prefix = f"hc-two-{uuid.uuid4().hex[:8]}"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CACHE_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        # django-axes keeps its count of failures in the database, which the
        # servers share anyway; allauth's limit, kept in the cache, is the one
        # this checks.
        "AXES_ENABLED": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **s3_server.env(bucket),
    }
    a = start_gunicorn(env, tmp_path / "a.log")
    try:
        b = start_gunicorn(env, tmp_path / "b.log")
    except Exception:
        a.stop()
        raise
    yield a.url, b.url, bucket
    a.stop()
    b.stop()
    with redis.Redis.from_url(settings.REDIS_URL) as client:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def browser() -> requests.Session:
    """A client of the service, as the proxy passes it on: whichever server
    answers, the request names the site's one host (allauth keys its limit
    on failed sign-ins by host and email)."""
    session = requests.Session()
    session.headers["Host"] = PUBLIC_HOST
    return session


def post_form(session, url: str, field: str, files=None, **values) -> requests.Response:
    """Fill the page's form that has `field` as a browser would, and send it."""
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    data = form_with(page.text, field) | values
    return session.post(url, data=data, files=files, allow_redirects=False, timeout=60)


def sign_in(session, base: str, email: str, password: str = PASSWORD) -> requests.Response:
    return post_form(session, base + LOGIN, "login", login=email, password=password)


def test_two_web_servers_share_sessions_files_limits_and_used_codes(world, servers, s3_server):
    cast, commission, proposal, secret = world
    a, b, bucket = servers
    hub = cast.hub.slug
    partner = cast.contacts[commission.partner_id]

    # Signed in on A, the same cookie is signed in on B.
    on_a = browser()
    assert sign_in(on_a, a, partner.email).status_code == 302
    on_b = browser()
    on_b.cookies.update(on_a.cookies)
    dashboard = on_b.get(f"{b}/h/{hub}/", allow_redirects=False, timeout=30)
    assert dashboard.status_code == 200
    assert LOGIN not in dashboard.headers.get("Location", "")

    # A file uploaded through A ...
    content = PDF + b"% uploaded through server A\n"
    edit = f"{a}" + reverse("calls:eoi_edit", args=[hub, proposal.pk])
    saved = post_form(
        on_a, edit, "draft_version", files={"attachments": ("plan.pdf", content)}, action="save"
    )
    assert saved.status_code == 302, saved.text[-2000:]
    attachment = ProposalAttachment.objects.get(proposal=proposal)
    assert (
        s3_server.client().get_object(Bucket=bucket, Key=attachment.file.name)["Body"].read()
        == content
    )
    # ... downloads through B.
    got = on_b.get(
        b + reverse("calls:attachment", args=[hub, proposal.pk, attachment.pk]), timeout=30
    )
    assert got.status_code == 200 and got.content == content
    assert got.headers["Content-Disposition"] == 'attachment; filename="plan.pdf"'

    # An agreement signed through A; its PDF, made there, downloads through B.
    sign = a + reverse("agreements:sign", args=[hub, commission.reference, 1])
    signed = post_form(
        on_a, sign, "full_name", full_name="Pat Partner", role_title="Director", consent="on"
    )
    assert signed.status_code == 302, signed.text[-2000:]
    agreement = Agreement.objects.get(commission=commission, period_number=1)
    assert agreement.status == AgreementStatus.PARTNER_SIGNED
    assert agreement.pdf.name, "A stores the PDF after the signature commits"
    kept = s3_server.client().get_object(Bucket=bucket, Key=agreement.pdf.name)["Body"].read()
    pdf = on_b.get(b + reverse("agreements:pdf", args=[hub, commission.reference, 1]), timeout=60)
    assert pdf.status_code == 200 and pdf.content == kept and kept.startswith(b"%PDF")

    # Ten wrong passwords on A: B refuses even the right one for a while.
    other = next(u for u in cast.contacts.values() if u.pk != partner.pk)
    for _ in range(10):
        wrong = sign_in(browser(), a, other.email, "not-the-password-1")
        assert wrong.status_code == 200
    limited = sign_in(browser(), b, other.email)
    assert limited.status_code != 302
    assert "Too many failed login attempts" in limited.text

    # A one-time code used on A is refused on B, within its 30 seconds.
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 15:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
    counter = int(time.time()) // TOTP_PERIOD
    code = format_hotp_value(hotp_value(secret, counter))
    officer_a = browser()
    assert (
        sign_in(officer_a, a, cast.officer.email)
        .headers["Location"]
        .startswith("/accounts/2fa/authenticate")
    )
    entered = post_form(officer_a, f"{a}/accounts/2fa/authenticate/", "code", code=code)
    assert entered.status_code == 302 and "2fa" not in entered.headers["Location"]
    officer_b = browser()
    sign_in(officer_b, b, cast.officer.email)
    replayed = post_form(officer_b, f"{b}/accounts/2fa/authenticate/", "code", code=code)
    assert int(time.time()) // TOTP_PERIOD == counter, "the code was still current on B"
    assert replayed.status_code == 200, "B refuses the used code and asks again"
    assert "Incorrect code" in replayed.text
    still_out = officer_b.get(f"{b}/h/{hub}/", allow_redirects=False, timeout=30)
    assert still_out.status_code == 302 and LOGIN in still_out.headers["Location"]
