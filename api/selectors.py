"""Lists the pages have no list of their own for, built from the pages'
selectors and answering the same questions as their one-object helpers:

- partners: the hub's organisations for its own people; a partner contact
  only its own organisations (the rule the lists' partner choices follow,
  commissioning.filters.hub_choices);
- agreements: of the commissions `commissions_visible` gives, those
  `agreements.selectors.may_see` lets this person see, through its filter
  form `may_see_q` beside it (tests/api/test_scoping.py checks the two agree
  for every persona);
- payments: the instalments of those agreements (every reader of an
  agreement sees its payment schedule on its page).

Each one-object read goes through the pages' own helpers
(`commission_for`, `agreement_for`), so a list never shows what a detail
would refuse.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from agreements.models import Agreement, Instalment
from agreements.selectors import agreement_for, may_see_q
from commissioning.selectors import commission_for, commissions_visible
from hubs.access import HubAccess
from partners.models import PartnerOrganisation


def partners_visible(access: HubAccess) -> QuerySet[PartnerOrganisation]:
    partners = PartnerOrganisation.objects.filter(hub=access.hub)
    if not access.is_internal:
        partners = partners.filter(pk__in=access.partner_ids)
    return partners.select_related("service_area").prefetch_related("specialisms")


def partner_for(access: HubAccess, pk: int) -> PartnerOrganisation:
    partner = partners_visible(access).filter(pk=pk).first()
    if partner is None:
        raise Http404("No such partner")
    return partner


def agreements_visible(access: HubAccess) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(
            hub=access.hub, commission__in=commissions_visible(access).values("pk")
        )
        .filter(may_see_q(access))
        .select_related("commission", "commission__partner")
    )


def agreement_by_id(access: HubAccess, pk: int) -> Agreement:
    """The agreement through the pages' helpers: its commission as
    `commission_for` gives it, then `agreement_for`."""
    found = (
        Agreement.objects.filter(hub=access.hub, pk=pk)
        .values_list("commission__reference", "period_number")
        .first()
    )
    if found is None:
        raise Http404("No such agreement")
    reference, period = found
    return agreement_for(access, commission_for(access, reference), period)


def instalments_visible(access: HubAccess) -> QuerySet[Instalment]:
    return Instalment.objects.filter(
        agreement__in=agreements_visible(access).values("pk")
    ).select_related("agreement", "agreement__commission")


def instalment_for(access: HubAccess, pk: int) -> Instalment:
    found = Instalment.objects.filter(pk=pk, agreement__hub=access.hub).first()
    if found is None:
        raise Http404("No such instalment")
    found.agreement = agreement_by_id(access, found.agreement_id)
    return found
