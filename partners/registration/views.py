"""Registering an organisation with a hub: /hubs/<hub>/join/.

Reached from the hub's public call (or an invitation to respond to one) with
`next`, the call's page to go on to. Someone not signed in is shown the two
ways in (make an account, or sign in); someone signed in fills in the
profile. Their organisations in other hubs can start the form (`from`), and
`kind=school` starts a school's (a schools round). Saving makes them its
contact, and they go on to the call to express interest at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.registration.views import safe_next
from hubs.models import Hub
from hubs.refusals import Refused
from partners.models import OrganisationType
from partners.registration.forms import ProfileForm
from partners.registration.rules import organisation_registration_refusals, registrant_refusal
from partners.registration.services import organisation_register, organisations_of, profile_of

TEMPLATE = "partners/join.html"


def _next(request: HttpRequest, hub: Hub) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    return safe_next(request, url) if url else reverse("calls:index", args=[hub.slug])


def _ways_in(request: HttpRequest, hub: Hub, next_url: str) -> dict:
    here = QueryDict(mutable=True)
    here[REDIRECT_FIELD_NAME] = next_url
    for name in ("kind",):
        if request.GET.get(name):
            here[name] = request.GET[name]
    back = f"{request.path}?{here.urlencode()}"
    register = QueryDict(mutable=True)
    register.update({REDIRECT_FIELD_NAME: back, "hub": hub.slug})
    if request.GET.get("email"):
        register["email"] = request.GET["email"]
    login = QueryDict(mutable=True)
    login[REDIRECT_FIELD_NAME] = back
    return {
        "register_url": f"{reverse('accounts:register')}?{register.urlencode(safe='/')}",
        "login_url": f"{reverse('account_login')}?{login.urlencode(safe='/')}",
    }


def _initial(request: HttpRequest, hub: Hub, copies) -> dict:
    user = request.user
    chosen = request.GET.get("from", "")
    source = next((p for p in copies if str(p.pk) == chosen), None)
    if source is not None:
        return profile_of(source)
    if request.GET.get("kind") == OrganisationType.SCHOOL:
        return {"organisation_type": OrganisationType.SCHOOL}
    if request.GET.get("kind") == OrganisationType.INDIVIDUAL:
        return {"organisation_type": OrganisationType.INDIVIDUAL, "name": user.get_full_name()}
    return {}


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, hub_slug: str) -> HttpResponse:
    hub = get_object_or_404(Hub, slug=hub_slug)
    next_url = _next(request, hub)
    context = {"hub": hub, "next": next_url}
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(_ways_in(request, hub, next_url)["login_url"])
        return render(
            request, "partners/join_ways_in.html", context | _ways_in(request, hub, next_url)
        )
    person = registrant_refusal(request.user)
    if person is not None:
        return render(request, TEMPLATE, context | {"refusal": person}, status=403)
    mine = list(organisations_of(request.user))
    here = [p for p in mine if p.hub_id == hub.pk]
    copies = [p for p in mine if p.hub_id != hub.pk]
    form = ProfileForm(request.POST or None, initial=_initial(request, hub, copies))
    context |= {"form": form, "here": here, "copies": copies, "kind": request.GET.get("kind", "")}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    form.is_valid()
    # The gate, asked before saving, so every refusal is beside its field.
    for refusal in organisation_registration_refusals(
        hub=hub, user=request.user, profile=form.profile()
    ):
        if refusal.field not in form.errors:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
    if form.errors:
        return render(request, TEMPLATE, context, status=400)
    try:
        partner = organisation_register(
            hub=hub,
            user=request.user,
            profile=form.profile(),
            contact_title=form.cleaned_data.get("contact_title", ""),
        )
    except Refused as exc:
        for refusal in exc.refusals:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return render(request, TEMPLATE, context, status=400)
    messages.success(
        request,
        f"{partner.name} is registered with {hub.name}, and you are its contact. "
        "You can express interest now.",
    )
    return redirect(next_url)
