"""Agreement pages: who gets what (the access matrix), drafting and versions,
the payment schedule form, signing, and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as ag
from agreements.models import Agreement, AgreementStatus, BoardComment, Signature
from agreements.pdf import agreement_pdf_store
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

OFFICERS_ONLY = {
    "approver": 403,
    "hub_admin": 403,
    "board_member": 404,
    "other_area_lead": 404,
    "partner_contact": 404,
    "other_partner": 404,
}
INTERNAL_DRAFT = {
    "board_member": 404,
    "other_area_lead": 404,
    "partner_contact": 404,
    "other_partner": 404,
}
LIVE = {"other_area_lead": 404, "other_partner": 404}

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "agreements:create": ("post", members(302, **OFFICERS_ONLY)),
    "agreements:detail": ("get", members(200, **INTERNAL_DRAFT)),
    "agreements:edit": ("get", members(200, **OFFICERS_ONLY)),
    "agreements:schedule": ("get", members(200, **OFFICERS_ONLY)),
    "agreements:versions": ("get", members(200, **INTERNAL_DRAFT)),
    "agreements:step": ("post", members(302, **OFFICERS_ONLY)),
    "agreements:respond": ("post", members(302, **OFFICERS_ONLY)),
    "agreements:decide": (
        "post",
        members(403, approver=302, superuser=302, **INTERNAL_DRAFT),
    ),
    "agreements:comment": (
        # BLMK's policy does not send drafts to its board, so no one can
        # comment; a superuser passes the role check and is told why.
        "post",
        members(403, superuser=400, **INTERNAL_DRAFT),
    ),
    "agreements:sign": ("get", members(403, partner_contact=200, **LIVE)),
    # The demo's agreements name the officer, by title, as the HLO's signatory.
    "agreements:countersign": ("get", members(403, hlo_staff=200, **LIVE)),
    "agreements:pdf": ("get", members(200, **LIVE)),
    "agreements:instalment": (
        "post",
        members(
            302,
            approver=403,
            hub_admin=403,
            board_member=404,
            partner_contact=404,
            **LIVE,
        ),
    ),
    "agreements:renew": (
        "post",
        members(403, hlo_staff=302, service_lead=302, superuser=302, **LIVE),
    ),
}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def walk(pipeline, cast, *steps):
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    for step in steps:
        getattr(p, step)(c)
    c.refresh_from_db()
    return c


def agreement_of(c) -> Agreement:
    return Agreement.objects.get(commission=c, period_number=1)


def partner_sign(cast, agreement):
    ag.agreement_sign(
        agreement=agreement,
        user=cast.contacts[agreement.commission.partner_id],
        full_name="Pat Partner",
        role_title="Director",
        consent=True,
    )


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    undrafted = walk(pipeline, blmk, "identify", "award")
    agreement_of(undrafted).delete()
    draft = agreement_of(walk(pipeline, blmk, "identify", "award"))
    remark = BoardComment.objects.create(
        agreement=draft, version_number=1, author=blmk.board[0], body="Name the venues."
    )
    approval = agreement_of(walk(pipeline, blmk, "identify", "award", "to_approval"))
    issued = agreement_of(walk(pipeline, blmk, "identify", "award", "to_approval", "approve"))
    half = agreement_of(walk(pipeline, blmk, "identify", "award", "to_approval", "approve"))
    partner_sign(blmk, half)
    signed = agreement_of(
        walk(pipeline, blmk, "identify", "award", "to_approval", "approve", "sign")
    )
    agreement_pdf_store(agreement_id=signed.pk)
    slug = blmk.hub.slug

    def one(agreement):
        return [slug, agreement.commission.reference, agreement.period_number]

    scheduled = signed.instalments.get(position=2)
    args = {
        "agreements:create": [slug, undrafted.reference],
        "agreements:detail": one(draft),
        "agreements:edit": one(draft),
        "agreements:schedule": one(draft),
        "agreements:versions": one(draft),
        "agreements:step": one(draft),
        "agreements:respond": [*one(draft), remark.pk],
        "agreements:decide": one(approval),
        "agreements:comment": one(approval),
        "agreements:sign": one(issued),
        "agreements:countersign": one(half),
        "agreements:pdf": one(signed),
        "agreements:instalment": [*one(signed), scheduled.pk],
        "agreements:renew": one(signed),
    }
    bodies = {
        "agreements:step": {"action": "submit_for_approval"},
        "agreements:respond": {"response": "Added."},
        "agreements:decide": {"decision": "approve", "reason": ""},
        "agreements:comment": {"body": "Looks right.", "section_key": ""},
        "agreements:instalment": {"action": "mark_due"},
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


# ── drafting ────────────────────────────────────────────────────────────────


def _edit_body(agreement, **changes) -> dict[str, str]:
    body = {
        "partnership_type": agreement.partnership_type,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "hlo_signatory_name": "Olivia Officer",
        "hlo_signatory_role": "Head of Hub",
        "partner_signatory_name": "Pat Partner",
        "partner_signatory_role": "Director",
        "note": "",
    }
    body |= {f"section_{s['key']}": s["body"] for s in agreement.sections}
    return body | changes


def test_each_save_keeps_a_version_and_versions_compare(client, build, pipeline):
    cast = build("herts")
    agreement = agreement_of(walk(pipeline, cast, "identify", "award"))
    before = agreement.version_number
    sign_in(client, cast.officer)
    url = reverse("agreements:edit", args=[cast.hub.slug, agreement.commission.reference, 1])
    body = _edit_body(agreement, section_scope="A new purpose.", note="Purpose rewritten")
    response = client.post(url, body)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.version_number == before + 1
    assert agreement.section("scope")["body"] == "A new purpose."
    versions = reverse(
        "agreements:versions", args=[cast.hub.slug, agreement.commission.reference, 1]
    )
    page = client.get(versions, {"a": before, "b": before + 1}).content.decode()
    assert "Purpose rewritten" in page
    assert "Added: </span>A new purpose." in page
    assert "Removed: </span>" in page


def test_an_invalid_edit_keeps_what_was_typed(client, build, pipeline):
    cast = build("herts")
    agreement = agreement_of(walk(pipeline, cast, "identify", "award"))
    sign_in(client, cast.officer)
    url = reverse("agreements:edit", args=[cast.hub.slug, agreement.commission.reference, 1])
    body = _edit_body(agreement, section_scope="Kept text", ends_on="2000-01-01")
    response = client.post(url, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The agreement must end after it starts." in page
    assert "Kept text" in page
    assert 'class="error-summary"' in page


def _schedule_body(rows, basis="amounts") -> dict[str, str]:
    body = {
        "basis": basis,
        "note": "",
        "instalments-TOTAL_FORMS": str(len(rows)),
        "instalments-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        body |= {f"instalments-{i}-{k}": v for k, v in row.items()}
    return body


def test_a_schedule_must_pay_exactly_the_grant(client, build, pipeline):
    cast = build("kent")
    c = walk(pipeline, cast, "identify", "award")
    agreement = agreement_of(c)
    sign_in(client, cast.officer)
    url = reverse("agreements:schedule", args=[cast.hub.slug, c.reference, 1])
    grant = c.hub_grant_amount
    short = _schedule_body(
        [
            {"description": "Start", "amount": "1000.00", "milestone": "signature"},
            {"description": "End", "amount": "500.00", "due_on": "2026-07-01"},
        ]
    )
    response = client.post(url, short)
    assert response.status_code == 400
    assert f"they must add up to the Hub grant of £{grant:,.2f}" in response.content.decode()
    ok = _schedule_body(
        [
            {"description": "Start", "amount": str(grant - 500), "milestone": "signature"},
            {"description": "End", "amount": "500.00", "due_on": "2026-07-01"},
        ]
    )
    assert client.post(url, ok).status_code == 302
    agreement.refresh_from_db()
    assert [i.amount for i in agreement.instalments.all()] == [grant - 500, Decimal("500.00")]
    thirds = _schedule_body(
        [{"percent": "33.33", "milestone": "signature"}] * 2
        + [{"percent": "33.34", "milestone": "report_accepted"}],
        basis="percentages",
    )
    assert client.post(url, thirds).status_code == 302


def test_the_partner_signs_in_the_browser_with_time_account_and_ip(client, build, pipeline):
    cast = build("kent")
    c = walk(pipeline, cast, "identify", "award", "to_approval", "approve")
    contact = cast.contacts[c.partner_id]
    sign_in(client, contact)
    url = reverse("agreements:sign", args=[cast.hub.slug, c.reference, 1])
    refused = client.post(url, {"full_name": "Pat Partner", "role_title": "Director"})
    assert refused.status_code == 400
    assert "Confirm the statement to sign." in refused.content.decode()
    response = client.post(
        url,
        {"full_name": "Pat Partner", "role_title": "Director", "consent": "on"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Firefox",
    )
    assert response.status_code == 302
    signature = Signature.objects.get(agreement__commission=c)
    assert (signature.user, signature.ip_address, signature.user_agent) == (
        contact,
        "198.51.100.7",
        "Firefox",
    )
    assert agreement_of(c).status == AgreementStatus.PARTNER_SIGNED


def test_the_commission_page_links_to_its_agreement(client, build, pipeline):
    cast = build("herts")
    c = walk(pipeline, cast, "identify", "award")
    sign_in(client, cast.officer)
    page = client.get(reverse("commissioning:detail", args=[cast.hub.slug, c.reference]))
    assert reverse("agreements:detail", args=[cast.hub.slug, c.reference, 1]) in (
        page.content.decode()
    )


# ── query counts ────────────────────────────────────────────────────────────


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_agreement_page_costs_the_same_queries_for_few_or_many_rows(client, build, pipeline):
    cast = build("herts")
    c = walk(pipeline, cast, "identify", "award", "_to_board")
    agreement = agreement_of(c)
    sign_in(client, cast.approver)
    url = reverse("agreements:detail", args=[cast.hub.slug, c.reference, 1])
    BoardComment.objects.create(
        agreement=agreement, version_number=1, author=cast.board[0], body="One."
    )
    few = _queries(client, url)
    for i in range(20):
        BoardComment.objects.create(
            agreement=agreement,
            version_number=1,
            author=cast.board[i % 2],
            section_key="scope",
            body=f"Comment {i}",
            response="Noted.",
            responded_by=cast.officer,
        )
    assert _queries(client, url) == few
    # 15, and three for the decision context with the board (the year's
    # allocation, its commitments and payments, the comments it counts), and
    # one for the policy's partnership types that name the agreement's type.
    assert few <= 19


def test_the_to_do_list_follows_the_signatures(client, build, pipeline):
    cast = build("kent")
    c = walk(pipeline, cast, "identify", "award", "to_approval", "approve")
    contact = cast.contacts[c.partner_id]
    dashboard = reverse("commissioning:dashboard", args=[cast.hub.slug])

    def tasks(user) -> set[str]:
        sign_in(client, user)
        return {t.task for t in client.get(dashboard).context["todo"] if t.commission == c}

    assert tasks(contact) == {"Sign the partnership agreement"}
    assert tasks(cast.approver) == set()
    partner_sign(cast, agreement_of(c))
    assert tasks(contact) == set(), "signed: nothing waits on the partner"
    assert tasks(cast.approver) == {"Countersign the partnership agreement"}
    assert tasks(cast.officer) == {"Countersign the partnership agreement"}


def test_the_versions_page_costs_the_same_queries_for_few_or_many_versions(client, build, pipeline):
    cast = build("herts")
    c = walk(pipeline, cast, "identify", "award")
    agreement = agreement_of(c)
    sign_in(client, cast.officer)
    url = reverse("agreements:versions", args=[cast.hub.slug, c.reference, 1])

    def save(n: int) -> None:
        for i in range(n):
            ag.agreement_save(
                agreement=agreement,
                user=cast.officer,
                bodies={"scope": f"Purpose, take {i}."},
                partnership_type=agreement.partnership_type,
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
            )

    save(2)
    few = _queries(client, url)
    save(30)
    assert _queries(client, url) == few
    assert few <= 15
    page = client.get(url).content.decode()
    assert "Page 1 of 2" in page
    assert "Added: </span>Purpose, take 29." in page


def test_a_pdf_the_demo_left_unmade_is_made_on_first_download(
    client, build, pipeline, django_capture_on_commit_callbacks
):
    cast = build("kent")
    c = walk(pipeline, cast, "identify", "award", "to_approval", "approve", "sign")
    assert not agreement_of(c).pdf, "the demo pipeline leaves PDFs to the first download"
    sign_in(client, cast.contacts[c.partner_id])
    detail = client.get(reverse("agreements:detail", args=[cast.hub.slug, c.reference, 1]))
    assert "Download the agreement (PDF)" in detail.content.decode()
    url = reverse("agreements:pdf", args=[cast.hub.slug, c.reference, 1])
    # Inside the test's transaction the task waits for a commit that never comes.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 302  # "being prepared"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_returning_a_draft_without_reasons_is_refused_beside_the_field(client, build, pipeline):
    cast = build("leics")
    c = walk(pipeline, cast, "identify", "award", "to_approval")
    sign_in(client, cast.approver)
    url = reverse("agreements:decide", args=[cast.hub.slug, c.reference, 1])
    response = client.post(url, {"decision": "return", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Give your reasons for returning the draft." in page
    assert agreement_of(c).status == AgreementStatus.APPROVAL


def test_the_commission_page_puts_the_boards_comments_before_the_approver(client, build, pipeline):
    cast = build("herts")
    c = walk(pipeline, cast, "identify", "award", "_to_board")
    ag.board_comment_add(agreement=agreement_of(c), user=cast.board[0], body="Fine.")
    ag.board_comment_add(agreement=agreement_of(c), user=cast.board[1], body="Agreed.")
    ag.agreement_close_board_comment(agreement=agreement_of(c), user=cast.officer)
    sign_in(client, cast.approver)
    page = client.get(reverse("commissioning:detail", args=[cast.hub.slug, c.reference]))
    assert "and the board's 2 comments</a> before deciding" in page.content.decode()


def test_a_step_s_reason_with_a_null_character_is_refused_with_words(client, build, pipeline):
    """Found by fuzzing on PostgreSQL, whose text columns cannot hold NUL."""
    cast = build("herts")
    agreement = agreement_of(walk(pipeline, cast, "identify", "award"))
    sign_in(client, cast.officer)
    url = reverse("agreements:step", args=[cast.hub.slug, agreement.commission.reference, 1])
    response = client.post(url, {"action": "send_to_board", "reason": "Now\x00"})
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
