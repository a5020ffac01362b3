"""One gate, one graph, one refusal type: a renewal runs the commission's
rules through the policy engine, each signature is its own signer's move in
the commission's log, the named signatory countersigns, a replayed comment
form makes one comment, and the PDF a person downloads says what the
agreement now says, with the signers' accounts and addresses for HLO staff
only."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements import services as ag
from agreements.models import Agreement, AgreementStatus, BoardComment
from agreements.pdf import agreement_pdf_store
from agreements.views.detail import page_steps
from commissioning import services as cs
from commissioning.models import TransitionLog
from commissioning.policy import move_refusal
from hubs.models import Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def commission_at(pipeline, cast, *steps):
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    for step in steps:
        getattr(p, step)(c)
    c.refresh_from_db()
    return c


def live(build, pipeline, slug="herts"):
    cast = build(slug)
    c = commission_at(pipeline, cast, "identify", "award", "to_approval", "approve", "sign")
    return cast, c, Agreement.objects.get(commission=c, period_number=1)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# ── renewals run the commission's rules ─────────────────────────────────────


def test_a_renewal_is_refused_without_the_board_in_the_commissions_words(build, pipeline):
    cast, _c, first = live(build, pipeline, "herts")
    renewal = ag.agreement_renew(agreement=first, user=cast.officer)
    with pytest.raises(Refused) as refused:
        ag.agreement_submit_for_approval(agreement=renewal, user=cast.officer)
    assert refused.value.rule == "board_comment_required"
    drafting = commission_at(pipeline, cast, "identify", "award")
    commission_says = move_refusal(drafting, "submit_for_approval", cast.officer)
    assert refused.value.message == commission_says.message
    renewal.refresh_from_db()
    assert renewal.status == AgreementStatus.DRAFT


def test_a_renewals_steps_are_in_the_commissions_log(build, pipeline):
    cast, c, first = live(build, pipeline, "leics")
    renewal = ag.agreement_renew(agreement=first, user=cast.officer)
    ag.agreement_submit_for_approval(agreement=renewal, user=cast.officer)
    ag.agreement_approve(agreement=renewal, user=cast.approver, note="Carry on.")
    entries = TransitionLog.objects.filter(commission=c).order_by("pk")
    last = list(entries.values_list("action", "actor", "from_stage", "to_stage", "reason"))[-2:]
    assert last == [
        ("submit_for_approval", cast.officer.pk, "monitoring", "monitoring", "Period 2 agreement"),
        ("approve", cast.approver.pk, "monitoring", "monitoring", "Period 2 agreement: Carry on."),
    ]


@pytest.mark.parametrize("slug", ["herts", "leics"])
def test_a_renewals_page_offers_exactly_what_the_engine_accepts(client, build, pipeline, slug):
    cast, c, first = live(build, pipeline, slug)
    renewal = ag.agreement_renew(agreement=first, user=cast.officer)
    url = reverse("agreements:detail", args=[cast.hub.slug, c.reference, 2])
    for person in (cast.officer, cast.approver):  # the board sees a draft once sent to it
        sign_in(client, person)
        steps = client.get(url).context["steps"]
        offered = {action for action, _label, waits in steps if waits is None}
        accepted = {
            action
            for action in page_steps(renewal)
            if move_refusal(renewal, action, person, offering=True) is None
        }
        assert offered == accepted, person
        if person == cast.officer:
            assert ("send_to_board" in offered) == (slug == "herts")
            assert ("submit_for_approval" in offered) == (slug == "leics")


def test_the_agreements_status_moves_only_through_its_graph(build, pipeline):
    _cast, _c, first = live(build, pipeline, "kent")
    with pytest.raises(AttributeError):
        first.status = AgreementStatus.DRAFT


# ── signatures: each signer's own move ──────────────────────────────────────


def test_the_partner_signs_as_the_partner_and_the_hlo_countersigns_as_itself(build, pipeline):
    cast = build("kent")
    c = commission_at(pipeline, cast, "identify", "award", "to_approval", "approve")
    agreement = Agreement.objects.get(commission=c)
    contact = cast.contacts[c.partner_id]
    ag.agreement_sign(
        agreement=agreement, user=contact, full_name="Pat", role_title="Director", consent=True
    )
    c.refresh_from_db()
    assert c.status == "issued", "the partner's signature alone does not start the partnership"
    ag.agreement_countersign(
        agreement=agreement, user=cast.officer, full_name="Olivia", role_title="Head", consent=True
    )
    c.refresh_from_db()
    assert c.status == "monitoring"
    log = TransitionLog.objects.filter(commission=c, action__in=["sign", "countersign"])
    assert list(log.order_by("pk").values_list("action", "actor", "from_stage", "to_stage")) == [
        ("sign", contact.pk, "issued", "issued"),
        ("countersign", cast.officer.pk, "issued", "monitoring"),
    ]


def test_the_commissions_own_move_cannot_sign_without_a_signature(build, pipeline):
    cast = build("kent")
    c = commission_at(pipeline, cast, "identify", "award", "to_approval", "approve")
    with pytest.raises(Refused) as refused:
        cs.commission_take(commission=c, user=cast.contacts[c.partner_id], action="sign")
    assert refused.value.rule == "signing_page"
    assert Agreement.objects.get(commission=c).status == AgreementStatus.ISSUED


def test_only_the_named_signatory_countersigns_for_hertfordshire(client, build, pipeline):
    cast = build("herts")
    c = commission_at(pipeline, cast, "identify", "award", "to_approval", "approve")
    agreement = Agreement.objects.get(commission=c)
    assert agreement.hlo_signatory_role == "Director of Music"
    pipeline(cast)._partner_signs(c)
    colleague = type(cast.officer).objects.create_user(
        "colleague@herts.demo", "colleague@herts.demo", "x-unused-password"
    )
    membership_grant(hub=cast.hub, user=colleague, role=Role.HLO_STAFF, title="Programme Lead")
    words = (
        "This agreement names the Director of Music (Olivia Officer) as the signatory for "
        "Hertfordshire Music Service (HMS); ask them to countersign."
    )
    for person in (colleague, cast.approver):
        with pytest.raises(Refused) as refused:
            ag.agreement_countersign(
                agreement=agreement, user=person, full_name="X", role_title="Y", consent=True
            )
        assert (refused.value.rule, refused.value.message) == ("named_signatory", words)
        assert refused.value.status == 403
    sign_in(client, colleague)
    url = reverse("agreements:countersign", args=[cast.hub.slug, c.reference, 1])
    assert client.get(url).status_code == 403
    detail = client.get(reverse("agreements:detail", args=[cast.hub.slug, c.reference, 1]))
    assert words in detail.content.decode() and not detail.context["can_countersign"]
    sign_in(client, cast.officer)
    response = client.post(
        url, {"full_name": "Olivia Officer", "role_title": "Director of Music", "consent": "on"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


# ── board comments: one per form ────────────────────────────────────────────


def test_a_replayed_comment_form_makes_one_comment(client, build, pipeline):
    cast = build("herts")
    c = commission_at(pipeline, cast, "identify", "award", "_to_board")
    sign_in(client, cast.board[0])
    detail = reverse("agreements:detail", args=[cast.hub.slug, c.reference, 1])
    key = client.get(detail).context["comment_form"]["form_key"].initial
    url = reverse("agreements:comment", args=[cast.hub.slug, c.reference, 1])
    body = {"body": "Why 50/50?", "section_key": "", "form_key": key}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302, "the replay is answered as done"
    assert BoardComment.objects.filter(agreement__commission=c).count() == 1
    fresh = client.get(detail).context["comment_form"]["form_key"].initial
    assert fresh != key, "each form shown has its own token"
    assert client.post(url, body | {"form_key": fresh}).status_code == 302
    assert BoardComment.objects.filter(agreement__commission=c).count() == 2


# ── the PDF ─────────────────────────────────────────────────────────────────


def test_a_stale_pdf_is_made_again_on_download_with_its_signatures(client, build, pipeline):
    cast = build("kent")
    c = commission_at(pipeline, cast, "identify", "award", "to_approval", "approve")
    agreement = Agreement.objects.get(commission=c)
    agreement_pdf_store(agreement_id=agreement.pk)  # made at the approval, before any signature
    # The tasks after each signature were lost (the demo leaves them, as a dead worker would).
    pipeline(cast).sign(c)
    agreement.refresh_from_db()
    made_before = agreement.pdf_generated_at
    assert made_before < agreement.signatures.latest("signed_at").signed_at
    sign_in(client, cast.contacts[c.partner_id])
    response = client.get(reverse("agreements:pdf", args=[cast.hub.slug, c.reference, 1]))
    assert response.status_code == 200
    text = text_of(b"".join(response.streaming_content))
    for signature in agreement.signatures.all():
        assert f"Signed electronically by {signature.full_name}" in text
    agreement.refresh_from_db()
    assert agreement.pdf_generated_at > made_before + timedelta(microseconds=0)


def test_only_hlo_staff_download_the_signers_accounts_and_addresses(client, build, pipeline):
    cast, c, agreement = live(build, pipeline, "kent")
    contact = cast.contacts[c.partner_id]
    url = reverse("agreements:pdf", args=[cast.hub.slug, c.reference, 1])
    agreement_pdf_store(agreement_id=agreement.pk)

    def downloaded(person) -> str:
        sign_in(client, person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        content = getattr(response, "streaming_content", None)
        return text_of(b"".join(content) if content is not None else response.content)

    partner_copy = downloaded(contact)
    assert "Signed electronically by" in partner_copy
    assert contact.email not in partner_copy and cast.officer.email not in partner_copy
    assert "192.0.2.10" not in partner_copy
    staff_copy = downloaded(cast.officer)
    assert contact.email in staff_copy and "192.0.2.10" in staff_copy
