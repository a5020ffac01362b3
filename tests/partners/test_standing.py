"""A partner's standing: staff mark an organisation an official Hub partner
only the way its hub's policy says (after a successful introductory meeting
in Leicestershire, after a completed partnership, or when staff decide); a
former partner with a date and a reason, never one with a live partnership;
a duplicate merged into the record kept, everything moved at once, refused
across hubs or where the two clash, with who merged it recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Proposal
from hubs.access import _read_standing
from hubs.models import Membership, Role
from hubs.refusals import Refused
from hubs.services import policy_current, policy_revise
from partners.directory import services
from partners.directory.models import PartnerMerge, PartnerNote
from partners.models import PartnerOrganisation, Specialism
from tests.auth_helpers import sign_in
from tests.factories import PartnerFactory, UserFactory
from tests.partners.test_meetings import _held

pytestmark = pytest.mark.django_db


def _as(cast, user=None):
    return _read_standing(cast.hub, user or cast.officer)


# ── official Hub partner ─────────────────────────────────────────────────────


def test_leicestershire_makes_an_official_partner_only_after_its_meeting(build):
    cast = build("leics")
    newco = cast.partners["newco"]
    with pytest.raises(Refused) as refused:
        services.partner_mark_official(access=_as(cast), partner=newco)
    assert refused.value.rule == "official_after_meeting"
    assert "Record the meeting first" in refused.value.message

    _held(cast, newco)
    assert services.partner_mark_official(access=_as(cast), partner=newco).is_existing_partner


def test_the_page_says_why_it_cannot_be_made_official_yet(build):
    cast = build("leics")
    officer = Client()
    sign_in(officer, cast.officer)
    url = reverse("directory:detail", args=["leics", cast.partners["newco"].pk])
    page = officer.get(url).content.decode()
    assert "after a successful introductory meeting" in page
    assert "Mark as an official Hub partner" not in page


def test_a_hub_whose_policy_asks_for_a_completed_partnership(build, pipeline):
    cast = build("herts")
    policy = cast.hub.policies.get()
    policy.official_partner_when = "partnership"
    policy.save(update_fields=["official_partner_when"])
    newcomer = PartnerFactory(hub=cast.hub, is_existing_partner=False, partnership_type="delivery")
    with pytest.raises(Refused) as refused:
        services.partner_mark_official(access=_as(cast), partner=newcomer)
    assert refused.value.rule == "official_after_partnership"


def test_where_staff_decide_they_mark_it_official(build):
    cast = build("herts")
    newcomer = PartnerFactory(hub=cast.hub, is_existing_partner=False)
    officer = Client()
    sign_in(officer, cast.officer)
    response = officer.post(reverse("directory:official", args=["herts", newcomer.pk]))
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_existing_partner


def test_only_staff_mark_it_official(build):
    cast = build("herts")
    newcomer = PartnerFactory(hub=cast.hub, is_existing_partner=False)
    with pytest.raises(Refused) as refused:
        services.partner_mark_official(access=_as(cast, cast.approver), partner=newcomer)
    assert refused.value.rule == "officer_only"


# ── former ───────────────────────────────────────────────────────────────────


def test_a_former_partner_has_a_date_and_a_reason(build):
    cast = build("herts")
    partner = PartnerFactory(hub=cast.hub)
    with pytest.raises(Refused) as refused:
        services.partner_mark_former(access=_as(cast), partner=partner, reason=" ")
    assert (refused.value.rule, refused.value.field) == ("reason_required", "reason")
    former = services.partner_mark_former(
        access=_as(cast), partner=partner, reason="It closed its youth programme."
    )
    assert former.former_on == timezone.localdate()
    assert not former.is_existing_partner


def test_a_partner_with_a_live_partnership_is_not_made_former(build, pipeline):
    cast = build("blmk")
    p = pipeline(cast)
    commission = p._open("Luton ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
        step(commission)
    commission.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.partner_mark_former(
            access=_as(cast), partner=commission.partner, reason="Moving on."
        )
    assert refused.value.rule == "live_partnership"
    assert commission.reference in refused.value.message


def test_a_former_partner_s_reason_is_kept_beside_its_field(build):
    cast = build("herts")
    partner = PartnerFactory(hub=cast.hub)
    officer = Client()
    sign_in(officer, cast.officer)
    response = officer.post(reverse("directory:former", args=["herts", partner.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the hub no longer works with it." in response.content.decode()


# ── merging a duplicate ──────────────────────────────────────────────────────


def test_a_duplicate_is_merged_with_everything_it_had(build, pipeline):
    cast = build("herts")
    kept = cast.partners["tabla"]
    PartnerOrganisation.objects.filter(pk=kept.pk).update(org_id="")
    singing = Specialism.objects.get_or_create(name="Singing")[0]
    duplicate = PartnerFactory(
        hub=cast.hub, name="Tabla Academy (old record)", charity_number="", org_id="GB-CHC-999"
    )
    duplicate.specialisms.add(singing, *kept.specialisms.all())
    person = UserFactory()
    Membership.objects.create(
        hub=cast.hub, user=person, role=Role.PARTNER_CONTACT, partner=duplicate
    )
    # The kept record's own contact is also on the duplicate: one role, not two.
    kept_contact = cast.contacts[kept.pk]
    Membership.objects.create(
        hub=cast.hub, user=kept_contact, role=Role.PARTNER_CONTACT, partner=duplicate
    )
    PartnerNote.objects.create(hub=cast.hub, partner=duplicate, text="Old note.")

    record = services.partner_merge(
        access=_as(cast), kept=kept, duplicate=duplicate, reason="Same charity."
    )

    assert not PartnerOrganisation.objects.filter(pk=duplicate.pk).exists()
    assert set(kept.contacts.values_list("user", flat=True)) >= {person.pk, kept_contact.pk}
    assert kept.contacts.filter(user=kept_contact).count() == 1
    assert kept.notes.filter(text="Old note.").exists()
    assert singing in kept.specialisms.all()
    kept.refresh_from_db()
    assert kept.org_id == "GB-CHC-999"  # it had none: it takes the duplicate's
    assert (record.merged_by, record.merged_name, record.reason) == (
        cast.officer,
        "Tabla Academy (old record)",
        "Same charity.",
    )
    assert record.moved["memberships"] == 1  # the other was the kept record's already
    assert PartnerMerge.objects.filter(kept=kept).count() == 1


def test_merging_across_hubs_is_refused(build):
    herts, kent = build("herts"), build("kent")
    other = PartnerFactory(hub=kent.hub)
    with pytest.raises(Refused) as refused:
        services.partner_merge(access=_as(herts), kept=herts.partners["tabla"], duplicate=other)
    assert refused.value.rule == "merge_across_hubs"
    assert PartnerOrganisation.objects.filter(pk=other.pk).exists()


def test_two_expressions_of_interest_for_one_commission_stop_the_merge(build, pipeline):
    from tests.commissioning.calls.test_services import draft, publish

    cast = build("herts")
    call = publish(cast, pipeline)
    kept, duplicate = cast.partners["tabla"], PartnerFactory(hub=cast.hub)
    draft(call, cast, "tabla")
    Proposal.objects.create(
        hub=cast.hub, commission=call.commission, call=call, partner=duplicate, status="draft"
    )
    with pytest.raises(Refused) as refused:
        services.partner_merge(access=_as(cast), kept=kept, duplicate=duplicate)
    assert refused.value.rule == "merge_clash"
    assert "commission" in refused.value.message
    assert Proposal.objects.filter(partner=duplicate).exists()  # nothing moved


def test_the_merge_page_names_what_moved(build):
    cast = build("herts")
    kept = cast.partners["tabla"]
    duplicate = PartnerFactory(hub=cast.hub, name="Tabla (duplicate)")
    PartnerNote.objects.create(hub=cast.hub, partner=duplicate, text="x")
    officer = Client()
    sign_in(officer, cast.officer)
    url = reverse("directory:merge", args=["herts", kept.pk])
    response = officer.post(url, {"duplicate": duplicate.pk}, follow=True)
    assert "Tabla (duplicate) merged into" in response.content.decode()
    refused = officer.post(url, {"duplicate": ""})
    assert refused.status_code == 400
    assert "Choose the duplicate record." in refused.content.decode()


def test_a_new_version_of_the_policy_keeps_how_partners_become_official(build):
    cast = build("leics")
    current = policy_current(hub=cast.hub)
    draft = policy_revise(policy=policy_current(hub=cast.hub), user=cast.admin)
    assert draft.pk != current.pk
    assert draft.official_partner_when == "meeting"
