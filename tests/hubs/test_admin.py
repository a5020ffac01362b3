"""The admin through which hub admins configure their hub.

Personas: `owner` is the hub admin of Avon (staff, hub_admin membership);
`outsider` is the hub admin of Brent; `member` is HLO staff in Avon without
staff status. Data is built with the ORM and hubs.services directly.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.db import connection
from django.forms import CheckboxInput
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Commission, Need, NeedsAnalysis, SmartTarget, TransitionLog
from hubs.models import (
    Criterion,
    DecisionRoute,
    Hub,
    HubPolicy,
    Membership,
    Role,
    ServiceArea,
    ServiceCategory,
)
from hubs.routes import route_words, routes_of
from hubs.services import membership_grant
from partners.models import PartnerOrganisation, Specialism
from tests.auth_helpers import sign_in
from tests.factories import HubPolicyFactory

pytestmark = pytest.mark.django_db


# ── helpers ──────────────────────────────────────────────────────────────────


def make_hub(name: str) -> Hub:
    return Hub.objects.create(name=name, slug=name.lower(), hlo_name=f"{name} Music")


def make_policy(hub: Hub, **fields) -> HubPolicy:
    fields.setdefault("approving_body", f"{hub.name} leadership team")
    return HubPolicyFactory(hub=hub, **fields)


def make_user(django_user_model, username: str, *, staff: bool = False):
    return django_user_model.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="a long enough password",
        is_staff=staff,
    )


def make_commissions(hub: Hub, user, count: int) -> None:
    policy = hub.policies.first() or make_policy(hub)
    analysis, _ = NeedsAnalysis.objects.get_or_create(
        hub=hub, cycle="2025/26", title="Annual needs analysis", defaults={"created_by": user}
    )
    need, _ = Need.objects.get_or_create(
        hub=hub, analysis=analysis, title="Rural secondary provision"
    )
    partner, _ = PartnerOrganisation.objects.get_or_create(
        hub=hub, name="Strings Together", defaults={"organisation_type": "charity"}
    )
    start = Commission.objects.filter(hub=hub).count()
    for n in range(start, start + count):
        Commission.objects.create(
            hub=hub,
            policy=policy,
            reference=f"{hub.slug.upper()}-{n + 1:04d}",
            title=f"Commission {n + 1}",
            need=need,
            partner=partner,
            created_by=user,
        )


def page_form_data(response) -> dict:
    """What the browser would post back from an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value
    return data


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def avon():
    hub = make_hub("Avon")
    make_policy(hub)
    return hub


@pytest.fixture
def brent():
    hub = make_hub("Brent")
    make_policy(hub)
    return hub


@pytest.fixture
def owner(django_user_model, avon):
    user = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    return user


@pytest.fixture
def outsider(django_user_model, brent):
    user = make_user(django_user_model, "oscar", staff=True)
    membership_grant(hub=brent, user=user, role=Role.HUB_ADMIN)
    return user


@pytest.fixture
def owner_client(client, owner):
    sign_in(client, owner)
    return client


# ── scoping ──────────────────────────────────────────────────────────────────


def test_owner_sees_only_their_hubs_rows_in_the_lists(owner_client, brent, outsider):
    PartnerOrganisation.objects.create(hub=brent, name="Brass Brent", organisation_type="charity")
    PartnerOrganisation.objects.create(
        hub=Hub.objects.get(name="Avon"), name="Avon Strings", organisation_type="charity"
    )

    policies = owner_client.get(admin_url(HubPolicy, "changelist"))
    partners = owner_client.get(admin_url(PartnerOrganisation, "changelist"))
    members = owner_client.get(admin_url(Membership, "changelist"))

    assert policies.status_code == partners.status_code == members.status_code == 200
    assert "Avon policy v1" in policies.text
    assert "Brent" not in policies.text
    assert "Avon Strings" in partners.text
    assert "Brass Brent" not in partners.text
    assert "olive" in members.text
    assert "oscar" not in members.text
    assert "Brent" not in members.text


def test_outsider_gets_no_page_for_another_hubs_policy(owner_client, brent):
    url = admin_url(HubPolicy, "change", brent.policies.get().pk)

    response = owner_client.get(url)
    followed = owner_client.get(url, follow=True)

    assert response.status_code in (302, 404)
    assert "Brent" not in followed.text


def test_owner_cannot_post_a_membership_into_another_hub(owner_client, brent, django_user_model):
    make_user(django_user_model, "dora")
    data = {"hub": brent.pk, "user": "dora@example.org", "role": Role.HLO_STAFF}

    response = owner_client.post(admin_url(Membership, "add"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Membership.objects.filter(hub=brent, user__username="dora").exists()


def test_owner_may_change_their_hub_but_not_add_or_delete_hubs(owner_client, avon, brent):
    assert owner_client.get(admin_url(Hub, "change", avon.pk)).status_code == 200
    assert owner_client.get(admin_url(Hub, "add")).status_code == 403
    assert owner_client.get(admin_url(Hub, "delete", avon.pk)).status_code == 403
    assert owner_client.get(admin_url(Hub, "change", brent.pk)).status_code == 302


def test_member_without_staff_status_is_sent_to_the_login(client, django_user_model, avon):
    member = make_user(django_user_model, "milly")
    membership_grant(hub=avon, user=member, role=Role.HLO_STAFF)
    sign_in(client, member)

    response = client.get(admin_url(HubPolicy, "changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_superuser_sees_every_hub(client, django_user_model, avon, brent):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    sign_in(client, root)

    response = client.get(admin_url(HubPolicy, "changelist"))

    assert "Avon policy v1" in response.text
    assert "Brent policy v1" in response.text


# ── policy versions ──────────────────────────────────────────────────────────


def test_editing_a_policy_saves_version_2_and_keeps_version_1(owner_client, avon, owner):
    make_commissions(avon, owner, 1)
    v1 = avon.policies.get()
    url = admin_url(HubPolicy, "change", v1.pk)
    data = page_form_data(owner_client.get(url))
    data["title"] = "Commissioning policy 2026"

    response = owner_client.post(url, data)

    assert response.status_code == 302
    assert list(avon.policies.order_by("version").values_list("version", flat=True)) == [1, 2]
    v1.refresh_from_db()
    v2 = avon.policies.get(version=2)
    assert (v1.title, v2.title) == ("Commissioning policy", "Commissioning policy 2026")
    # The new version starts with the routes of the one it revises.
    assert [route_words(r) for r in routes_of(v2)] == [route_words(r) for r in routes_of(v1)]
    assert v2.approving_body == "Avon leadership team"
    assert Commission.objects.get().policy_id == v1.pk


def test_a_superseded_policy_version_is_shown_read_only(owner_client, avon):
    v1 = avon.policies.get()
    make_policy(avon, version=2)

    response = owner_client.get(admin_url(HubPolicy, "change", v1.pk))

    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert 'name="title"' not in response.text


def test_policy_rules_are_shown_beside_their_fields(owner_client, avon):
    v1 = avon.policies.get()
    url = admin_url(HubPolicy, "change", v1.pk)
    data = page_form_data(owner_client.get(url))
    data["open_call_required"] = data["responsive_commissioning_allowed"] = "on"

    response = owner_client.post(url, data)

    assert response.status_code == 200
    assert "cannot also allow ad hoc commissioning" in response.text
    assert response.context["adminform"].form.errors.keys() == {"responsive_commissioning_allowed"}
    assert avon.policies.count() == 1


def test_adding_a_policy_numbers_it_after_the_newest(owner_client, avon):
    data = {
        "hub": avon.pk,
        "title": "Commissioning policy",
        "min_match_funding_percent": 0,
        "reporting_cadence": "progress",
        "official_partner_when": "officer",
    }

    response = owner_client.post(admin_url(HubPolicy, "add"), data)

    assert response.status_code == 302
    newest = avon.policies.order_by("-version").first()
    assert newest.version == 2
    assert newest.approving_body == "Avon leadership team"  # the routes of the one before


# ── criteria ─────────────────────────────────────────────────────────────────


def criteria_data(owner_client, hub, weights):
    url = admin_url(Hub, "change", hub.pk)
    data = page_form_data(owner_client.get(url))
    data["criteria-TOTAL_FORMS"] = len(weights)
    for i, weight in enumerate(weights):
        data[f"criteria-{i}-name"] = f"Criterion {i + 1}"
        data[f"criteria-{i}-weight"] = weight
        data[f"criteria-{i}-position"] = i
        data[f"criteria-{i}-hub"] = hub.pk
    return url, data


def test_criteria_weights_must_add_up_to_100(owner_client, avon):
    url, data = criteria_data(owner_client, avon, [60, 30])

    response = owner_client.post(url, data)

    assert response.status_code == 200
    assert "The weights add up to 90%; they must add up to 100%." in response.text
    assert 'value="60"' in response.text
    assert 'value="Criterion 2"' in response.text
    assert not Criterion.objects.exists()


def test_criteria_adding_up_to_100_are_saved(owner_client, avon):
    url, data = criteria_data(owner_client, avon, [60, 40])

    response = owner_client.post(url, data)

    assert response.status_code == 302
    assert sorted(avon.criteria.values_list("weight", flat=True)) == [40, 60]


# ── memberships keep guardian in step ────────────────────────────────────────


def test_adding_and_deleting_a_membership_grants_and_revokes(owner_client, avon, django_user_model):
    make_user(django_user_model, "hal")
    data = {"hub": avon.pk, "user": "HAL@example.org", "role": Role.HLO_STAFF}

    added = owner_client.post(admin_url(Membership, "add"), data)

    assert added.status_code == 302
    hal = django_user_model.objects.get(username="hal")
    assert hal.has_perm("hubs.run_commissions", avon)

    membership = Membership.objects.get(user=hal)
    deleted = owner_client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})

    assert deleted.status_code == 302
    hal = django_user_model.objects.get(username="hal")
    assert not hal.has_perm("hubs.run_commissions", avon)
    assert not Membership.objects.filter(user=hal).exists()


def test_membership_rules_are_shown_on_the_form(owner_client, avon, django_user_model):
    make_user(django_user_model, "sam")
    data = {"hub": avon.pk, "user": "sam@example.org", "role": Role.SERVICE_LEAD}

    response = owner_client.post(admin_url(Membership, "add"), data)

    assert response.status_code == 200
    assert "A service lead leads one service area: choose it." in response.text
    assert not Membership.objects.filter(user__username="sam").exists()


def test_a_hub_admin_cannot_give_themselves_a_role(owner_client, avon, owner):
    data = {"hub": avon.pk, "user": owner.email, "role": Role.APPROVER}

    response = owner_client.post(admin_url(Membership, "add"), data)

    assert response.status_code == 200
    assert "You cannot give yourself a role" in response.text
    assert not owner.has_perm("hubs.approve_commissions", avon)
    assert not Membership.objects.filter(user=owner, role=Role.APPROVER).exists()


def test_deleting_a_service_area_withdraws_its_leads_grants(owner_client, avon, django_user_model):
    area = ServiceArea.objects.create(hub=avon, name="North")
    lead = make_user(django_user_model, "lena")
    membership_grant(hub=avon, user=lead, role=Role.SERVICE_LEAD, service_area=area)
    assert lead.has_perm("hubs.view_hub", avon)

    response = owner_client.post(admin_url(ServiceArea, "delete", area.pk), {"post": "yes"})

    assert response.status_code == 302
    lead = django_user_model.objects.get(pk=lead.pk)
    assert not lead.has_perm("hubs.view_hub", avon)


def test_changing_a_membership_keeps_the_row_and_its_grants(owner_client, avon, owner):
    membership = owner.memberships.get()
    url = admin_url(Membership, "change", membership.pk)
    data = page_form_data(owner_client.get(url))
    data["title"] = "Head of Music Education"

    response = owner_client.post(url, data)

    assert response.status_code == 302
    assert owner.memberships.get().pk == membership.pk
    assert owner.memberships.get().title == "Head of Music Education"
    assert owner.has_perm("hubs.configure_hub", avon)


# ── needs ────────────────────────────────────────────────────────────────────


def test_a_needs_analysis_and_its_needs_are_added_to_the_chosen_hub(owner_client, avon, owner):
    area = ServiceArea.objects.create(hub=avon, name="North")
    data = {
        "hub": avon.pk,
        "cycle": "2025/26",
        "title": "Annual needs analysis",
        "stakeholders_consulted": ["schools", "young_people"],
        "needs-TOTAL_FORMS": 1,
        "needs-INITIAL_FORMS": 0,
        "needs-0-title": "Rural secondary provision",
        "needs-0-priority": 1,
        "needs-0-service_area": area.pk,
    }

    response = owner_client.post(admin_url(NeedsAnalysis, "add"), data)

    assert response.status_code == 302
    analysis = NeedsAnalysis.objects.get()
    assert analysis.created_by == owner
    assert analysis.stakeholders_consulted == ["schools", "young_people"]
    need = analysis.needs.get()
    assert (need.hub, need.service_area) == (avon, area)


# ── commissions are read-only ────────────────────────────────────────────────


def test_commissions_are_listed_and_shown_read_only(owner_client, avon, owner, brent, outsider):
    make_commissions(avon, owner, 2)
    make_commissions(brent, outsider, 1)
    commission = Commission.objects.get(reference="AVON-0001")
    TransitionLog.objects.create(
        hub=avon, commission=commission, actor=owner, action="open", to_stage="needs"
    )

    listing = owner_client.get(admin_url(Commission, "changelist"))
    page = owner_client.get(admin_url(Commission, "change", commission.pk))

    assert listing.status_code == 200
    assert "AVON-0002" in listing.text
    assert "BRENT-0001" not in listing.text
    assert page.status_code == 200
    assert 'name="status"' not in page.text
    assert 'name="_save"' not in page.text
    assert "Need identified" in page.text
    assert owner_client.get(admin_url(Commission, "add")).status_code == 403
    assert owner_client.get(admin_url(Commission, "delete", commission.pk)).status_code == 403
    assert owner_client.get(admin_url(TransitionLog, "add")).status_code == 403


def test_commission_list_queries_do_not_grow_with_rows(owner_client, avon, owner):
    make_commissions(avon, owner, 3)
    # The first request of a process also fills Django's caches (content
    # types and the like), which a test run alone has not filled yet.
    assert owner_client.get(admin_url(Commission, "changelist")).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert owner_client.get(admin_url(Commission, "changelist")).status_code == 200

    make_commissions(avon, owner, 17)
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(admin_url(Commission, "changelist"))

    assert response.text.count("AVON-00") >= 20
    assert len(many) == len(few)


# ── every page renders ───────────────────────────────────────────────────────


@pytest.fixture
def avon_rows(avon, owner):
    """One row of each model the admin shows, all in Avon."""
    make_commissions(avon, owner, 1)
    commission = Commission.objects.get()
    need = commission.need
    partner = commission.partner
    partner.specialisms.add(Specialism.objects.create(name="SEND"))
    return [
        avon,
        avon.policies.get(),
        ServiceArea.objects.create(hub=avon, name="North"),
        ServiceCategory.objects.create(hub=avon, name="Ensembles"),
        Criterion.objects.create(hub=avon, name="Quality", weight=100),
        owner.memberships.get(),
        partner,
        need.analysis,
        need,
        SmartTarget.objects.create(
            need=need,
            description="More pupils",
            measure="Count",
            target_value=10,
            due_on=date(2026, 7, 1),
        ),
        commission,
        TransitionLog.objects.create(
            hub=avon, commission=commission, actor=owner, action="open", to_stage="needs"
        ),
    ]


def test_every_admin_page_renders_for_a_hub_admin(owner_client, avon_rows):
    for obj in avon_rows:
        model = type(obj)
        if model not in admin.site._registry:
            continue
        for url in (admin_url(model, "changelist"), admin_url(model, "change", obj.pk)):
            assert owner_client.get(url).status_code == 200, url
        assert owner_client.get(admin_url(model, "add")).status_code in (200, 403)

    index = owner_client.get(reverse("admin:index"))
    assert "Hub policies" in index.text
    assert "Specialisms" not in index.text


def test_every_admin_page_renders_for_a_superuser(client, django_user_model, avon_rows):
    sign_in(client, django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    for model in admin.site._registry:
        assert client.get(admin_url(model, "changelist")).status_code == 200, model
        assert client.get(admin_url(model, "add")).status_code in (200, 403), model
    for obj in avon_rows:
        if type(obj) in admin.site._registry:
            assert client.get(admin_url(type(obj), "change", obj.pk)).status_code == 200, obj


# ── decision routes ──────────────────────────────────────────────────────────


def test_a_route_is_edited_with_its_steps_and_says_itself_in_words(owner_client, avon, brent):
    route = avon.policies.get().routes.get(kind="award")
    url = admin_url(DecisionRoute, "change", route.pk)
    page = owner_client.get(url)
    assert "Awards: one of the Avon leadership team (not whoever submitted it) decides." in (
        page.text
    )
    data = page_form_data(page)
    data |= {"from_value": "10000", "steps-1-kind": "decide", "steps-1-body": "approvers"}
    data |= {"steps-1-position": "1", "steps-1-needed": "2", "steps-1-window_days": "14"}
    data["steps-1-separate"] = "on"
    assert owner_client.post(url, data).status_code == 302
    route.refresh_from_db()
    assert route_words(route) == (
        "Awards of £10,000 or more: one of the Avon leadership team (not whoever submitted "
        "it) decides; then 2 of the approvers (not whoever submitted it) must all approve."
    )

    two_comments = page_form_data(owner_client.get(url))
    two_comments |= {"steps-2-kind": "comment", "steps-2-body": "board", "steps-2-position": "2"}
    two_comments |= {"steps-2-needed": "1", "steps-2-window_days": "7"}
    response = owner_client.post(url, two_comments)
    assert response.status_code == 200
    assert "The comment step comes before the decisions it informs." in response.text

    elsewhere = brent.policies.get().routes.get(kind="award")
    assert owner_client.get(admin_url(DecisionRoute, "change", elsewhere.pk)).status_code == 302
