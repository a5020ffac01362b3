"""The partner directory: the list (search and filters), a partner's page,
adding a partner, inviting a contact and keeping notes. Standing (official,
former, merging) is in standing_views.py, meetings in meeting_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.invitations.rules import invitation_refusal
from accounts.invitations.services import invitation_create
from accounts.models import Invitation
from hubs.access import HubAccess, hub_access
from hubs.listing import list_page
from hubs.models import Membership, Role
from hubs.refusals import Refused
from partners import hooks
from partners.contacts import contact_person_add
from partners.directory import services
from partners.directory.filters import PARTNER_COLUMNS, PartnerFilter
from partners.directory.forms import (
    ContactForm,
    ContactPersonForm,
    NoteForm,
    PartnerAddForm,
    place,
)
from partners.directory.selectors import STATUS_WORDS, partner_for, partners_visible, status_of
from partners.models import PartnerOrganisation
from partners.rules import (
    contact_person_refusals,
    former_refusal,
    meeting_request_refusal,
    merge_refusal,
    official_refusal,
    staff_refusal,
)
from partners.types import current_policy, type_choices


def staff_only(access: HubAccess) -> None:
    refusal = staff_refusal(access)
    if refusal is not None:
        raise PermissionDenied(refusal.message)


def _type_names(policy) -> dict[str, str]:
    return dict(type_choices(policy)) if policy is not None else {}


@login_required
@require_GET
def directory(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    policy = current_policy(access.hub.pk)
    partners = partners_visible(access).prefetch_related("specialisms")
    filters = PartnerFilter(request.GET, partners, access=access, policy=policy)
    areas = "area" in filters.filters
    columns = [c for c in PARTNER_COLUMNS if areas or c.key != "area"]
    context = list_page(request, filters, columns, ["name"], noun=("partner", "partners"))
    names = _type_names(policy)
    rows = [
        (p, names.get(p.partnership_type, p.partnership_type), STATUS_WORDS[status_of(p)])
        for p in context["page"].object_list
    ]
    context |= {
        "access": access,
        "hub": access.hub,
        "areas": areas,
        "rows": rows,
        "can_add": staff_refusal(access) is None,
    }
    return render(request, "partners/directory.html", context)


def _offers(access: HubAccess, partner: PartnerOrganisation, policy) -> dict:
    """What the page offers, asked of the same rules the services raise; a
    refusal that only wants what a form asks for (a reason) still offers it."""
    people = not contact_person_refusals(access=access, partner=partner)
    if staff_refusal(access) is not None:
        return {
            "meeting": meeting_request_refusal(access=access, partner=partner) is None,
            "contact_person": people,
        }
    former = former_refusal(access=access, partner=partner, reason="")
    return {
        "staff": True,
        "official": official_refusal(access=access, partner=partner, policy=policy),
        "former": former is None or former.rule == "reason_required",
        "former_why": None if former is None or former.rule == "reason_required" else former,
        "merge": merge_refusal(access=access, kept=partner, duplicate=None).rule
        == "duplicate_required",
        "meeting": meeting_request_refusal(access=access, partner=partner) is None,
        "contact_person": people,
    }


def _detail(request, access, partner, *, note_form=None, status=200) -> HttpResponse:
    policy = current_policy(access.hub.pk)
    offers = _offers(access, partner, policy)
    contacts = Membership.objects.filter(partner=partner, role=Role.PARTNER_CONTACT)
    names = _type_names(policy)
    context = {
        "access": access,
        "hub": access.hub,
        "partner": partner,
        "status": STATUS_WORDS[status_of(partner)],
        "type_name": names.get(partner.partnership_type, partner.partnership_type),
        "specialisms": partner.specialisms.all(),
        "contacts": contacts.select_related("user").order_by("user__email"),
        "contact_people": partner.contact_people.all(),
        "meetings": [
            (m, names.get(m.partnership_type_agreed, m.partnership_type_agreed))
            for m in partner.introductory_meetings.select_related("asked_by", "recorded_by")
        ],
        "offers": offers,
        "policy": policy,
        "sections": [(section, section.source(access, partner)) for section in hooks.sections()],
    }
    if offers.get("staff"):
        open_invitations = Invitation.objects.filter(
            partner=partner, accepted_at__isnull=True, revoked_at__isnull=True
        )
        context |= {
            "invitations": open_invitations.order_by("email"),
            "notes": partner.notes.select_related("written_by"),
            "merges": partner.merges.select_related("merged_by"),
            "note_form": note_form or NoteForm(),
            "error_forms": _errors(note_form) if note_form else [],
        }
    return render(request, "partners/detail.html", context, status=status)


@login_required
@require_GET
def partner_detail(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _detail(request, access, partner_for(access, partner_id))


@login_required
@require_http_methods(["GET", "POST"])
def partner_add(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    staff_only(access)
    policy = current_policy(access.hub.pk)
    form = PartnerAddForm(request.POST or None, hub=access.hub, policy=policy)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                partner = services.partner_add(
                    access=access,
                    partner=form.save(commit=False),
                    specialisms=form.cleaned_data["specialisms"],
                )
            except Refused as refused:
                place(form, refused)
            else:
                messages.success(request, f"{partner} added to the directory.")
                return redirect("directory:detail", hub_slug, partner.pk)
        status = 400
    context = {"access": access, "hub": access.hub, "form": form, "error_forms": _errors(form)}
    return render(request, "partners/add.html", context, status=status)


def _errors(*forms) -> list:
    return [f for f in forms if f.is_bound and f.errors]


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    """Invite a contact for the organisation: the hub's invitations
    (accounts/invitations/), with their rule, which lets HLO staff invite a
    partner's contacts."""
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)
    staff_only(access)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                invitation_create(
                    by=request.user,
                    hub=access.hub,
                    email=email,
                    role=Role.PARTNER_CONTACT,
                    partner=partner,
                    title=form.cleaned_data["title"],
                )
            except Refused as refused:
                place(form, refused)
            else:
                messages.success(request, f"Invitation sent to {email}.")
                return redirect("directory:detail", hub_slug, partner.pk)
        status = 400
    refusal = invitation_refusal(
        by=request.user, hub=access.hub, email="", role=Role.PARTNER_CONTACT, partner=partner
    )
    context = {
        "access": access,
        "hub": access.hub,
        "partner": partner,
        "form": form,
        "error_forms": _errors(form),
        "cannot": refusal if refusal and refusal.rule == "hub_admin_only" else None,
    }
    return render(request, "partners/contact_add.html", context, status=status)


@login_required
@require_POST
def note_add(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)
    staff_only(access)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.partner_note_add(
                access=access, partner=partner, text=form.cleaned_data["text"]
            )
        except Refused as refused:
            place(form, refused)
        else:
            messages.success(request, "Note kept.")
            return redirect("directory:detail", hub_slug, partner.pk)
    return _detail(request, access, partner, note_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def contact_person_add_page(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    """The organisation's own contact (or HLO staff) adds one more person the
    hub may contact; a refusal is beside its field, everything typed kept."""
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)  # another organisation's: 404
    who = contact_person_refusals(access=access, partner=partner)
    if who:
        raise PermissionDenied(who[0].message)
    form = ContactPersonForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data
        # The gate, asked before saving, so every refusal is beside its field.
        for refusal in contact_person_refusals(access=access, partner=partner, person=person):
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        if not form.errors:
            try:
                added = contact_person_add(access=access, partner=partner, person=person)
            except Refused as refused:
                place(form, refused)
            else:
                messages.success(request, f"{added.name} is now a contact of {partner}.")
                return redirect("directory:detail", hub_slug, partner.pk)
    if request.method == "POST":
        status = 400
    context = {"access": access, "hub": access.hub, "partner": partner, "form": form}
    context["error_forms"] = _errors(form)
    return render(request, "partners/contact_person_add.html", context, status=status)
