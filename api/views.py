"""The API's endpoints, each a thin layer over the pages' own selectors,
helpers and services.

Reads: a list (the page's selector, its FilterSet where the page has one,
pages of 25) and one object (the page's one-object helper: anything another
hub's, or not this person's to see, is a 404). Writes: the page's service,
which asks the page's gate; a refusal comes back in its own words with its
rule (api.errors).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import payments
from agreements import services as ag
from agreements.models import Instalment
from api import selectors as sel
from api import serializers as s
from api.access import api_hub_access
from commissioning.calls.selectors import call_for, calls_listed
from commissioning.filters import CallFilter, CommissionFilter
from commissioning.joint import joint_partners_prefetch
from commissioning.selectors import commission_for, commissions_visible
from hubs.access import HubAccess
from monitoring import services as monitoring
from monitoring.filters import ReportFilter
from monitoring.selectors import report_for, reports_visible
from oversight.selectors import register_entries

NO_STORE = "no-store, private"


def _filters(*names: str) -> list[OpenApiParameter]:
    return [OpenApiParameter(n, str, required=False) for n in names]


class HubView(generics.GenericAPIView):
    """Every endpoint: the token's hub and the person's standing in it
    (api.access), read once per request; nothing kept in a cache."""

    filterset_class = None
    ordering: tuple[str, ...] = ("pk",)

    @property
    def access(self) -> HubAccess:
        if not hasattr(self, "_access"):
            self._access = api_hub_access(self.request, self.kwargs["hub_slug"])
        return self._access

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if "hub_slug" in self.kwargs and self.request.auth is not None:
            context["access"] = self.access
        return context

    def visible(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        queryset = self.visible()
        if self.filterset_class is not None:
            # Filters narrow what the selector gave; a bad value is left out,
            # as on the list pages.
            queryset = self.filterset_class(
                self.request.query_params, queryset, access=self.access
            ).qs
        return queryset.order_by(*self.ordering, "pk")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response


# ── commissions ──────────────────────────────────────────────────────────────


@extend_schema_view(get=extend_schema(parameters=_filters(*CommissionFilter.base_filters)))
class CommissionList(HubView, generics.ListAPIView):
    serializer_class = s.CommissionSerializer
    filterset_class = CommissionFilter
    ordering = ("reference",)

    def visible(self):
        return commissions_visible(self.access).prefetch_related(joint_partners_prefetch())


class CommissionDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.CommissionSerializer

    def get_object(self):
        return commission_for(self.access, self.kwargs["reference"])


# ── partners ─────────────────────────────────────────────────────────────────


class PartnerList(HubView, generics.ListAPIView):
    serializer_class = s.PartnerSerializer
    ordering = ("name",)

    def visible(self):
        return sel.partners_visible(self.access)


class PartnerDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.PartnerSerializer

    def get_object(self):
        return sel.partner_for(self.access, self.kwargs["pk"])


# ── calls ────────────────────────────────────────────────────────────────────


@extend_schema_view(get=extend_schema(parameters=_filters(*CallFilter.base_filters)))
class CallList(HubView, generics.ListAPIView):
    serializer_class = s.CallSerializer
    filterset_class = CallFilter
    ordering = ("-closes_at",)

    def visible(self):
        return calls_listed(self.access)


class CallDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.CallSerializer

    def get_object(self):
        return call_for(self.access, self.kwargs["pk"])


# ── agreements and payments ──────────────────────────────────────────────────


class AgreementList(HubView, generics.ListAPIView):
    serializer_class = s.AgreementSerializer
    ordering = ("commission__reference", "period_number")

    def visible(self):
        return sel.agreements_visible(self.access)


class AgreementDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.AgreementDetailSerializer

    def get_object(self):
        return sel.agreement_by_id(self.access, self.kwargs["pk"])


def _with_values(instalments: list[Instalment]) -> list[Instalment]:
    """Each instalment's value in pounds as its schedule pays it (the last of
    a schedule in percentages takes the pennies): one query for the
    schedules of every agreement on the page."""
    ids = {i.agreement_id for i in instalments}
    schedules: dict[int, list[Instalment]] = {}
    for item in Instalment.objects.filter(agreement_id__in=ids).order_by("position", "pk"):
        schedules.setdefault(item.agreement_id, []).append(item)
    for instalment in instalments:
        schedule = schedules.get(instalment.agreement_id, [instalment])
        grant = instalment.agreement.commission.hub_grant_amount
        capital = instalment.agreement.commission.hub_grant_capital
        worth = payments.values(schedule, grant, capital)
        value = dict(zip([i.pk for i in schedule], worth, strict=True))
        instalment.value = value.get(instalment.pk, instalment.value_of(grant, capital))
    return instalments


class PaymentList(HubView, generics.ListAPIView):
    serializer_class = s.InstalmentSerializer
    ordering = ("agreement__commission__reference", "agreement__period_number", "position")

    def visible(self):
        return sel.instalments_visible(self.access)

    def paginate_queryset(self, queryset):
        return _with_values(super().paginate_queryset(queryset))


class PaymentDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.InstalmentSerializer

    def get_object(self):
        return _with_values([sel.instalment_for(self.access, self.kwargs["pk"])])[0]


class PaymentMarkPaid(HubView):
    """Record an instalment paid: HLO staff, once it is approved for payment
    (agreements.rules.instalment_refusal, as on the agreement's page)."""

    serializer_class = s.MarkPaidSerializer

    @extend_schema(request=s.MarkPaidSerializer, responses={200: s.InstalmentSerializer})
    def post(self, request: Request, hub_slug: str, pk: int) -> Response:
        access = self.access
        instalment = sel.instalment_for(access, pk)
        # The page's own door: only the Hub's staff reach payments' actions.
        if not (access.sees_everything or access.is_officer):
            raise Http404("No such instalment")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        ag.instalment_mark_paid(
            instalment=instalment, user=request.user, reference=data.validated_data["reference"]
        )
        paid = _with_values([sel.instalment_for(access, pk)])[0]
        return Response(s.InstalmentSerializer(paid, context=self.get_serializer_context()).data)


# ── reports ──────────────────────────────────────────────────────────────────


@extend_schema_view(get=extend_schema(parameters=_filters(*ReportFilter.base_filters)))
class ReportList(HubView, generics.ListAPIView):
    serializer_class = s.ReportSerializer
    filterset_class = ReportFilter
    ordering = ("due_on",)

    def visible(self):
        return reports_visible(self.access)


class ReportDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.ReportDetailSerializer

    def get_object(self):
        return report_for(self.access, self.kwargs["pk"])


class ReportSubmit(HubView):
    """The partner submits its report, first saving any answers sent (kept
    even if the submission is refused, as the report's form keeps them).
    Submitting again changes nothing: the report is no longer the partner's
    to change (409)."""

    serializer_class = s.ReportSubmitSerializer

    @extend_schema(request=s.ReportSubmitSerializer, responses={200: s.ReportDetailSerializer})
    def post(self, request: Request, hub_slug: str, pk: int) -> Response:
        access = self.access
        report = report_for(access, pk)
        # As the report's form: only its partner's contacts have one.
        if report.commission.partner_id not in access.partner_ids:
            raise Http404("No such page")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = dict(data.validated_data)
        version = answers.pop("version", None)
        if answers or version is not None:
            monitoring.report_save(
                report=report, user=request.user, answers=answers, version=version
            )
        monitoring.report_submit(report=report, user=request.user)
        submitted = report_for(access, pk)
        return Response(
            s.ReportDetailSerializer(submitted, context=self.get_serializer_context()).data
        )


# ── the public register ──────────────────────────────────────────────────────


class RegisterList(HubView, generics.ListAPIView):
    """The hub's public register of partnerships (as /hubs/<hub>/register/)."""

    serializer_class = s.RegisterEntrySerializer
    ordering = ("-pk",)

    def visible(self):
        return register_entries(self.access.hub)


class RegisterDetail(HubView, generics.RetrieveAPIView):
    serializer_class = s.RegisterEntrySerializer

    def get_object(self):
        entry = register_entries(self.access.hub).filter(reference=self.kwargs["reference"]).first()
        if entry is None:
            raise Http404("No such partnership in the register")
        return entry


class NotFound(APIView):
    """Anything else under /api/v1/ (a negative id, a mistyped path): a 404
    in the API's own shape, not the site's HTML page."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    schema = None

    def get(self, request: Request, *args, **kwargs) -> Response:
        raise Http404("No such page in the API")

    post = put = patch = delete = get

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response
