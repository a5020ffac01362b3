"""The procurement pages: the commission page's section says what the value
needs and what the award waits for; the record form keeps what was typed and
puts a refusal beside its field; an approver approves a departure from the
page; a notice is marked published with its id; a partner sees none of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.models import Commission
from procurement import services
from procurement.models import CommissionKind, Notice, NoticeKind
from tests.auth_helpers import sign_in
from tests.factories import HERTS_BANDS, procurement_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def herts(build, pipeline):
    cast = build("herts")
    procurement_rules(cast.hub, "Hertfordshire County Council procurement process", HERTS_BANDS)
    p = pipeline(cast)
    c = p._open("Inclusive ensembles", amount=Decimal(10000))
    p.identify(c)
    return cast, p, Commission.objects.get(pk=c.pk)


def _body(**changes) -> dict:
    return {
        "kind": "grant",
        "route_taken": "one_quote",
        "quotes_received": "1",
        "evidence": "One quote from Soundwaves.",
        "procurement_reference": "",
        "started_on": date.today().isoformat(),
        "advertised_on": "",
        "vat_amount": "0",
        "vat_not_recoverable": "0",
        "departure_reason": "",
        **changes,
    }


def test_the_commission_page_says_what_the_value_needs(herts, client):
    cast, _, c = herts
    sign_in(client, cast.officer)
    html = client.get(reverse("commissioning:detail", args=[cast.hub.slug, c.reference]))
    html = html.content.decode()
    assert 'id="procurement-heading"' in html
    assert "Three written quotes: £5,000 up to £25,000 under Hertfordshire County Council" in html
    assert 'data-procurement-waits="procurement_not_recorded"' in html
    assert 'data-waits="award"' in html  # the award is shown as waiting, with the same words


def test_a_partner_never_sees_the_procurement(herts, client):
    cast, p, c = herts
    contact = cast.contacts[p._plan()["partner"].pk]
    sign_in(client, contact)
    url = reverse("procurement:commission", args=[cast.hub.slug, c.reference])
    assert client.get(url).status_code == 404


def test_the_form_keeps_what_was_typed_and_says_why_beside_the_field(herts, client):
    cast, _, c = herts
    sign_in(client, cast.officer)
    url = reverse("procurement:record", args=[cast.hub.slug, c.reference])
    response = client.post(url, _body(vat_amount="100", vat_not_recoverable="250"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_vat_not_recoverable"' in html
    assert "is more than the VAT charged (£100)" in html
    assert "One quote from Soundwaves." in html  # kept
    assert 'value="250"' in html
    response = client.post(url, _body(quotes_received="-1"))
    assert response.status_code == 400
    assert 'href="#id_quotes_received"' in response.content.decode()


def test_a_departure_is_recorded_and_approved_from_the_page(herts, client):
    cast, _, c = herts
    sign_in(client, cast.officer)
    record_url = reverse("procurement:record", args=[cast.hub.slug, c.reference])
    reason = "The only provider of adapted instruments in the county."
    assert client.post(record_url, _body(departure_reason=reason)).status_code == 302
    page = client.get(reverse("procurement:commission", args=[cast.hub.slug, c.reference]))
    assert reason in page.content.decode()
    assert "Approve the departure" not in page.content.decode()  # not the officer's to give

    client.logout()
    sign_in(client, cast.approver)
    page = client.get(reverse("procurement:commission", args=[cast.hub.slug, c.reference]))
    assert "Approve the departure" in page.content.decode()
    url = reverse("procurement:approve_departure", args=[cast.hub.slug, c.reference])
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 400
    assert "You have already approved this departure." in again.content.decode()


def test_a_notice_is_marked_published_with_its_id(build, pipeline, client):
    cast = build("kent")
    p = pipeline(cast)
    c = p._open("Research", amount=Decimal(40000))
    p.identify(c)
    record = services.procurement_record(
        commission=Commission.objects.get(pk=c.pk),
        user=cast.officer,
        kind=CommissionKind.CONTRACT,
        route_taken="open_tender",
        procurement_reference="KM-1",
        started_on=date.today(),
        advertised_on=date.today(),
    )
    notice = Notice.objects.get(procurement=record, kind=NoticeKind.BELOW_THRESHOLD_TENDER)
    sign_in(client, cast.officer)
    url = reverse("procurement:notice_publish", args=[cast.hub.slug, notice.pk])
    blank = client.post(url, {"notice_id": ""})
    assert blank.status_code == 400
    assert f'href="#id_notice_id_{notice.pk}"' in blank.content.decode()
    assert client.post(url, {"notice_id": "004512-2026"}).status_code == 302
    notice.refresh_from_db()
    assert notice.notice_id == "004512-2026" and notice.published_by == cast.officer
    listing = client.get(reverse("procurement:notices", args=[cast.hub.slug])).content.decode()
    assert "004512-2026" in listing
