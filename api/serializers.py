"""What the API shows of each thing: what its page shows the same person.

Every serializer reads only what its list's selector has already joined or
prefetched (tests/api/test_queries.py holds each list to a fixed number of
queries). Participant counts go through monitoring.suppression, as on every
page and in every file.
"""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import Agreement, Instalment
from commissioning.joint import partners_of
from commissioning.models import Call, Commission
from monitoring.models import Report
from monitoring.suppression import PARTICIPANT_FIELDS, participant_rows
from partners.models import OrganisationType, PartnerOrganisation


class PartnerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OfACommission(serializers.ModelSerializer):
    """What an agreement and a report say of their commission: its
    reference, its partner, and their own status in words."""

    commission = serializers.CharField(source="commission.reference")
    partner = PartnerRef(source="commission.partner", allow_null=True)
    status_label = serializers.CharField(source="get_status_display")


class JointPartnerRef(serializers.Serializer):
    """A partner of a joint partnership, the lead included, with its share."""

    id = serializers.IntegerField(source="partner_id")
    name = serializers.CharField(source="partner.name")
    is_lead = serializers.BooleanField()
    share_of_activity = serializers.DecimalField(max_digits=5, decimal_places=2)
    grant_amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class CommissionSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(source="status")
    stage_label = serializers.CharField(source="get_status_display")
    service_area = serializers.CharField(source="service_area.name", allow_null=True, default=None)
    partner = PartnerRef(allow_null=True)
    joint_partners = serializers.SerializerMethodField()

    @extend_schema_field(JointPartnerRef(many=True))
    def get_joint_partners(self, c: Commission) -> list[dict]:
        """Every partner of a joint partnership, the lead first; empty for one partner."""
        return JointPartnerRef(partners_of(c), many=True).data

    class Meta:
        model = Commission
        fields = [
            "reference",
            "title",
            "description",
            "stage",
            "stage_label",
            "service_area",
            "partner",
            "hub_grant_amount",
            "match_funding_amount",
            "created_at",
            "joint_partners",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    service_area = serializers.CharField(source="service_area.name", allow_null=True, default=None)
    specialisms = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = PartnerOrganisation
        fields = [
            "id",
            "name",
            "organisation_type",
            "partnership_type",
            "reach",
            "service_area",
            "specialisms",
            "is_hlo",
            "is_consortium_member",
            "is_existing_partner",
            "charity_number",
            "company_number",
            "org_id",
        ]


class CallSerializer(serializers.ModelSerializer):
    commission = serializers.CharField(source="commission.reference")
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "commission",
            "title",
            "summary",
            "eligibility",
            "opens_at",
            "closes_at",
            "closed_at",
            "is_public",
            "is_open",
        ]

    def get_is_open(self, call: Call) -> bool:
        return call.is_open()


class AgreementSerializer(OfACommission):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "commission",
            "partner",
            "period_number",
            "status",
            "status_label",
            "partnership_type",
            "payment_basis",
            "starts_on",
            "ends_on",
            "issued_at",
            "decided_at",
        ]


class Section(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True)


class AgreementDetailSerializer(AgreementSerializer):
    sections = Section(many=True)

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "sections"]


class InstalmentSerializer(serializers.ModelSerializer):
    agreement = serializers.IntegerField(source="agreement_id")
    commission = serializers.CharField(source="agreement.commission.reference")
    value = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="In pounds, as the schedule pays it."
    )
    status_label = serializers.CharField(source="get_status_display")
    payment_reference = serializers.SerializerMethodField()

    class Meta:
        model = Instalment
        fields = [
            "id",
            "agreement",
            "commission",
            "position",
            "description",
            "amount",
            "percent",
            "value",
            "due_on",
            "milestone",
            "status",
            "status_label",
            "due_at",
            "approved_at",
            "paid_at",
            "payment_reference",
        ]

    def get_payment_reference(self, instalment: Instalment) -> str | None:
        """The finance system's reference, for the Hub's own people."""
        access = self.context["access"]
        return instalment.payment_reference if access.is_internal else None


class MarkPaidSerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Payment reference."
    )


class ReportSerializer(OfACommission):
    class Meta:
        model = Report
        fields = [
            "id",
            "commission",
            "partner",
            "period_number",
            "kind",
            "title",
            "due_on",
            "status",
            "status_label",
            "submitted_at",
            "decided_at",
            "draft_version",
        ]


class ReportDetailSerializer(ReportSerializer):
    participants = serializers.SerializerMethodField(
        help_text='Counts as every page shows them: "fewer than 5" for 1 to 4, "held back" '
        "where another figure would give a hidden one away."
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "request_note",
            "activities",
            "outcomes",
            "challenges",
            "case_study",
            "recommendations",
            "officer_comments",
            "participants",
        ]

    def get_participants(self, report: Report) -> dict[str, str]:
        return {row.name: row.shown for row in participant_rows(report)}


class _ReportSubmit(serializers.Serializer):
    """Answers to save before submitting (any left out stay as saved), and
    the draft version the client last read: an older one is refused (409)."""

    version = serializers.IntegerField(required=False, min_value=1)
    activities = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    outcomes = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    challenges = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    case_study = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    recommendations = serializers.CharField(required=False, allow_blank=True, max_length=20000)


# The counts, as the report's form asks them (monitoring.forms.ReportForm).
ReportSubmitSerializer = type(
    "ReportSubmitSerializer",
    (_ReportSubmit,),
    {
        name: serializers.IntegerField(
            required=False, allow_null=True, min_value=0, max_value=10_000_000, help_text=label
        )
        for name, label, _ in PARTICIPANT_FIELDS
    },
)


class RegisterEntrySerializer(serializers.ModelSerializer):
    """The public register's row: no people."""

    partner = serializers.SerializerMethodField()
    co_applicants = serializers.SerializerMethodField()
    service_area = serializers.CharField(source="service_area.name", allow_null=True, default=None)
    stage_label = serializers.CharField(source="get_status_display")
    awarded_at = serializers.DateTimeField(allow_null=True)
    runs_from = serializers.SerializerMethodField()
    until = serializers.SerializerMethodField()

    class Meta:
        model = Commission
        fields = [
            "reference",
            "title",
            "description",
            "partner",
            "service_area",
            "hub_grant_amount",
            "match_funding_amount",
            "awarded_at",
            "runs_from",
            "until",
            "stage_label",
            "co_applicants",
        ]

    def get_partner(self, c: Commission) -> str | None:
        if c.partner is None:
            return None
        if c.partner.organisation_type == OrganisationType.INDIVIDUAL:
            return "An individual practitioner"
        return c.partner.name

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_co_applicants(self, c: Commission) -> list[str]:
        """A joint partnership's other partners, named as the register names them."""
        return [
            "An individual practitioner"
            if cp.partner.organisation_type == OrganisationType.INDIVIDUAL
            else cp.partner.name
            for cp in partners_of(c)
            if not cp.is_lead
        ]

    def get_runs_from(self, c: Commission) -> date | None:
        """The agreement's term, else the day it was signed."""
        return c.term_starts or (c.started_at and c.started_at.date()) or None

    def get_until(self, c: Commission) -> date | None:
        """The agreement's term, else the day it ended."""
        return c.term_ends or (c.ended_at and c.ended_at.date()) or None
