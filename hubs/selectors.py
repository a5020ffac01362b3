"""Reads for hubs."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from hubs.models import Hub, HubPolicy, RouteStep
from hubs.policy_life.selectors import in_force_pk


def hubs_with_current_policy() -> QuerySet[Hub]:
    newest = HubPolicy.objects.in_force().filter(hub=OuterRef("pk")).order_by("-version")
    # Who approves awards of no particular value under the version in force.
    approvers = RouteStep.objects.filter(
        route__policy=in_force_pk(OuterRef(OuterRef("pk"))), route__kind="award", kind="decide"
    ).order_by("route__from_value", "position")
    return Hub.objects.annotate(
        policy_version=Subquery(newest.values("version")[:1]),
        approving_body=Subquery(approvers.values("name")[:1]),
        commission_count=Count("commissions", distinct=True),
    ).order_by("name")
