"""A person's activity feed and notification preferences, per hub."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hubs.access import hub_access
from hubs.listing import list_page
from notices import services
from notices.filters import NotificationFilter
from notices.forms import PreferenceForm
from notices.selectors import feed_for


@login_required
@require_http_methods(["GET"])
def feed(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    filters = NotificationFilter(
        request.GET, feed_for(user=request.user, hub=access.hub), access=access
    )
    context = list_page(
        request, filters, [], ["-created_at"], noun=("notification", "notifications")
    )
    context |= {
        "hub": access.hub,
        "delivery": services.delivery_for(user=request.user, hub=access.hub),
    }
    return render(request, "notices/feed.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    ids = None
    if request.POST.get("notification", "").isdigit():
        ids = [int(request.POST["notification"])]
    marked = services.notifications_mark_read(user=request.user, hub=access.hub, ids=ids)
    if ids is None:
        messages.success(request, f"Marked {marked} notification(s) as read.")
    page = request.POST.get("page", "")
    url = redirect("notices:feed", hub_slug=access.hub.slug).url
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    current = services.delivery_for(user=request.user, hub=access.hub)
    form = PreferenceForm(request.POST or None, initial={"delivery": current})
    if request.method == "POST" and form.is_valid():
        row = services.preference_set(
            user=request.user, hub=access.hub, delivery=form.cleaned_data["delivery"]
        )
        messages.success(request, f"Saved. {row.get_delivery_display()}.")
        return redirect("notices:preferences", hub_slug=access.hub.slug)
    return render(request, "notices/preferences.html", {"hub": access.hub, "form": form})
