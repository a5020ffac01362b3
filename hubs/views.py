from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hubs.documents import public_documents
from hubs.grounds import grounds_of
from hubs.models import Hub, HubPolicy, PolicyStatus
from hubs.routes import route_words, routes_of
from hubs.selectors import hubs_with_current_policy
from hubs.services import policy_current


@require_GET
def hub_index(request: HttpRequest) -> HttpResponse:
    """The public list of hubs and their published policies."""
    return render(request, "hubs/home.html", {"hubs": hubs_with_current_policy()})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@require_GET
def policy_detail(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """A hub's commissioning policy in plain words. Public: hubs publish them."""
    hub = get_object_or_404(Hub, slug=hub_slug)
    try:
        policy = policy_current(hub=hub)
    except HubPolicy.DoesNotExist:
        return render(request, "hubs/policy_missing.html", {"hub": hub}, status=404)
    context = {
        "hub": hub,
        "policy": policy,
        "service_areas": hub.service_areas.all(),
        "categories": hub.service_categories.all(),
        "criteria": hub.criteria.all(),
        # The routes themselves: a hub's may differ by value ("officers below
        # £10,000, two approvers above"), which the summary above cannot say.
        "routes": [route_words(route) for route in routes_of(policy)],
        "grounds": grounds_of(policy),
        # What an applicant reads first, uploaded by the hub admin.
        "documents": public_documents(hub),
        # A draft of the next version open to the public, if there is one.
        "consultation": hub.policies.filter(
            status=PolicyStatus.OPEN, consultation_closes_on__gte=timezone.localdate()
        ).first(),
    }
    return render(request, "hubs/policy_detail.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and compose: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
