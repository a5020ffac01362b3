"""Reads for hubs."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from hubs.models import Hub, HubPolicy


def hubs_with_current_policy() -> QuerySet[Hub]:
    newest = HubPolicy.objects.filter(hub=OuterRef("pk")).order_by("-version")
    return Hub.objects.annotate(
        policy_version=Subquery(newest.values("version")[:1]),
        approving_body=Subquery(newest.values("approving_body")[:1]),
        commission_count=Count("commissions", distinct=True),
    ).order_by("name")
