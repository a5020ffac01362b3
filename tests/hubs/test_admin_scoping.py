"""Every page of /admin/ a hub admin can open offers only their own hub.

Issue 13, M3: the board pack form's "requested by" listed every account on
the site, 46 of them in other hubs, and could be changed. This walks every
ModelAdmin registered with the admin site, as the demo's Kent hub admin, and
renders its add and change pages: every choice list (foreign key or
many-to-many, inlines included) holds only Kent's rows; no other hub's
people's email addresses or hub names appear; and the fields that record who
did something are shown, never edited.

The five demo hubs are committed once for the module (tests/demo_db.py: loaded
once a session, restored from its copy after) and emptied at its end.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.forms import ModelChoiceField, MultiWidget
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from accounts.sso_models import HubSignOn
from agreements.models import AgreementTemplate
from api.services import token_issue
from compliance.models import ComplianceItemKind, ComplianceRequirement
from hubs.models import Hub, Membership, ServiceArea
from oversight.models import BoardPack, GivingPublisher
from partners.models import Specialism
from tests import demo_db
from tests.auth_helpers import sign_in
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
HUB = "kent"
# Shared by every hub: not any one hub's data.
SHARED = {Specialism}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_db.load_demo()
        hub = Hub.objects.get(slug=HUB)
        officer = User.objects.get(email=f"officer@{HUB}.demo")
        # Rows the demo does not make, so every admin has one to open.
        ServiceArea.objects.get_or_create(hub=hub, name="Medway", local_authority="Medway")
        BoardPack.objects.create(hub=hub, meeting_on=date(2026, 3, 1), requested_by=officer)
        GivingPublisher.objects.get_or_create(hub=hub, defaults={"grant_prefix": "360G-kent"})
        AgreementTemplate.objects.get_or_create(
            hub=hub, partnership_type="strategic", defaults={"sections": []}
        )
        admin_of_kent = User.objects.get(email=f"hubadmin@{HUB}.demo")
        InvitationFactory(hub=hub, email="newcomer@example.org", invited_by=admin_of_kent)
        HubSignOn.objects.get_or_create(
            hub=hub,
            defaults={"provider_name": "Kent County Council", "client_id": "kent-app",
                      "server_url": "https://login.example.org/kent/v2.0",
                      "email_domains": "kent.gov.uk"},
        )  # fmt: skip
        token_issue(hub=hub, user=officer, name="Finance system", by=admin_of_kent)
        ComplianceItemKind.objects.get_or_create(hub=hub, key="first_aid", name="First aid")
        policy = hub.policies.order_by("-version").first()
        ComplianceRequirement.objects.get_or_create(policy=policy, kind="first_aid")
        yield
        demo_db.flush()


@pytest.fixture
def hub(demo) -> Hub:
    return Hub.objects.get(slug=HUB)


@pytest.fixture
def hub_admin(hub):
    return User.objects.get(email=f"hubadmin@{HUB}.demo")


@pytest.fixture
def admin_client(hub_admin) -> Client:
    client = Client(raise_request_exception=False)
    sign_in(client, hub_admin)
    return client


def is_of_hub(obj: models.Model, hub: Hub) -> bool:
    if isinstance(obj, Hub):
        return obj.pk == hub.pk
    if isinstance(obj, User):
        return Membership.objects.filter(user=obj, hub=hub).exists()
    if type(obj) in SHARED:
        return True
    if hasattr(obj, "hub_id"):
        return obj.hub_id == hub.pk
    # A part of something that is a hub's (a need's SMART target).
    parents = [
        getattr(obj, f.name)
        for f in obj._meta.concrete_fields
        if f.many_to_one and hasattr(f.related_model, "hub_id")
    ]
    assert parents, f"no rule here for whose {type(obj).__name__} this is"
    return all(parent.hub_id == hub.pk for parent in parents)


def who_did_it(model: type[models.Model], model_admin) -> list[str]:
    """The model's foreign keys to a person, bar the person a row is about
    (a membership's member, typed as an email address, not chosen from a list)."""
    about = getattr(model_admin, "person_fields", ())
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is User and f.name not in about
    ]


def forms_on(response) -> list[tuple[type[models.Model], object, object]]:
    """(model, admin, form) for the page's main form and each inline's forms."""
    model_admin = response.context["adminform"].model_admin
    found = [(model_admin.model, model_admin, response.context["adminform"].form)]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for form in [*formset.forms, formset.empty_form]:
            found.append((formset.model, inline.opts, form))
    return found


def check_page(response, hub: Hub, outsiders: list[str], other_hubs: list[str]) -> list[str]:
    problems = []
    pages_forms = forms_on(response) if "adminform" in response.context else []
    for model, model_admin, form in pages_forms:
        for name, field in form.fields.items():
            # The hidden id of each inline row is not a list anyone chooses from.
            if isinstance(field, ModelChoiceField) and not field.widget.is_hidden:
                foreign = [str(obj) for obj in field.queryset if not is_of_hub(obj, hub)]
                if foreign:
                    problems.append(f"{model.__name__}.{name} offers {foreign[:3]}")
        for name in who_did_it(model, model_admin):
            if name in form.fields:
                problems.append(f"{model.__name__}.{name} can be edited")
    html = response.content.decode()
    problems += [f"shows {email}" for email in outsiders if email in html]
    problems += [f"names {name}" for name in other_hubs if escape(name) in html]
    return problems


def page_as_posted(form) -> dict:
    """What the browser would post back from the page, unchanged."""
    data = {}
    for field in form:
        value, widget = field.value(), field.field.widget
        if value is None:
            continue
        if isinstance(widget, MultiWidget):  # a date and a time
            parts = widget.decompress(value)
            data.update({f"{field.html_name}_{i}": str(part) for i, part in enumerate(parts)})
        else:
            data[field.html_name] = value
    return data


def test_every_admin_page_a_hub_admin_opens_offers_only_their_hub(admin_client, hub, hub_admin):
    outsiders = list(
        User.objects.exclude(memberships__hub=hub).exclude(email="").values_list("email", flat=True)
    )
    assert len(outsiders) > 40  # the demo's other hubs, and the site administrator
    other_hubs = list(Hub.objects.exclude(pk=hub.pk).values_list("name", flat=True))
    request = RequestFactory().get("/admin/")
    request.user = hub_admin

    opened, problems = [], []
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        if not model_admin.has_module_permission(request):
            status = admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code
            assert status in (302, 403), model  # another kind of page: the site's operators'
            continue
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model_admin.get_queryset(request).first()
        assert obj is not None, f"no {model.__name__} in {hub} to open"
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        for url in pages:
            response = admin_client.get(url)
            assert response.status_code == 200, url
            opened.append(url)
            problems += [f"{url}: {p}" for p in check_page(response, hub, outsiders, other_hubs)]

    assert len(opened) > 30
    assert problems == [], "\n".join(problems)


def test_a_board_pack_keeps_who_asked_for_it(admin_client, hub):
    pack = BoardPack.objects.get(hub=hub)
    url = reverse("admin:oversight_boardpack_change", args=[pack.pk])
    someone_else = User.objects.get(email=f"hubadmin@{HUB}.demo")

    data = page_as_posted(admin_client.get(url).context["adminform"].form)
    data.update(meeting_on="2026-03-08", requested_by=someone_else.pk)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    pack.refresh_from_db()
    assert pack.meeting_on == date(2026, 3, 8)
    assert pack.requested_by.email == f"officer@{HUB}.demo"
