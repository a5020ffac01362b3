"""The hub's commissioning policy, kept as versions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from hubs.admin.grounds import grounds_in_list
from hubs.admin.routes import routes_in_words
from hubs.admin.scoping import HubScopedAdmin, SameHubForm
from hubs.models import HubPolicy, PolicyStatus
from hubs.policy_life.rules import policy_revise_refusal
from hubs.policy_life.selectors import in_force, life_of
from hubs.services import policy_revise


class PolicyForm(SameHubForm):
    def clean(self):
        cleaned = super().clean()
        # The service's own gate: one draft at a time, none while open for comment.
        if self.instance.hub_id and (refusal := policy_revise_refusal(self.instance)):
            raise forms.ValidationError(refusal.message)
        return cleaned


# ── policy ───────────────────────────────────────────────────────────────────


@admin.register(HubPolicy)
class HubPolicyAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Saving the version in force records a new DRAFT version, which takes
    effect only once the body the policy in force names approves it (on the
    draft's page); a draft is edited in place until it is opened for comment.
    Commissions keep the version they ran under, so an approved version is
    never edited in place."""

    form = PolicyForm
    list_display = ("__str__", "hub", "version", "status", "effective_from", "created_at")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)
    search_fields = ("hub__name", "title")
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "hub",
                    "version",
                    "life",
                    "title",
                    "approved_by",
                    "approved_on",
                    "next_review_on",
                    "review_arrangements",
                )
            },
        ),
        ("Who comments and decides", {"fields": ("decision_routes",)}),
        ("Grounds for decommissioning", {"fields": ("grounds",)}),
        (
            "How partners are found",
            {
                "fields": (
                    "existing_partners_first",
                    "open_call_required",
                    "responsive_commissioning_allowed",
                    "eoi_for_needs_gaps",
                    "introductory_meeting_required",
                    "official_partner_when",
                    "self_commissioning_declaration_required",
                    "min_match_funding_percent",
                    "commissioning_by_service_area",
                    "uses_service_categories",
                    "in_house_reason_required",
                    "awards_within_allocation",
                )
            },
        ),
        (
            "Agreements and monitoring",
            {
                "fields": (
                    "agreement_term_months",
                    "agreement_term_is_academic_year",
                    "reporting_cadence",
                    "immediate_termination_on_safeguarding",
                )
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        shown = ("version", "life", "decision_routes", "grounds")
        # Once a version exists, who approved it and when come from the record
        # of the decisions; a hub's first policy says who approved it outside.
        return ("hub", *shown, "approved_by", "approved_on") if obj else shown

    @admin.display(description="Where it is in its life")
    def life(self, obj):
        if obj is None or obj.pk is None:
            return "A hub's first policy is in force once saved."
        said = life_of(obj, in_force(obj.hub))
        if obj.status == PolicyStatus.APPROVED:
            return said
        url = reverse("hubs:policy_draft", args=[obj.hub.slug, obj.version])
        return format_html('{} (<a href="{}">the draft\'s page</a>)', said, url)

    @admin.display(description="Decision routes")
    def decision_routes(self, obj):
        return routes_in_words(obj)

    @admin.display(description="Grounds (edited under Decommissioning grounds)")
    def grounds(self, obj):
        return grounds_in_list(obj)

    def has_change_permission(self, request, obj=None):
        # Editing an older version would quietly undo the newer one's changes;
        # older versions stay as the record of what commissions ran under.
        # A version open for comment stays as the board and the public read it.
        superseded = obj is not None and (
            obj.status == PolicyStatus.OPEN
            or HubPolicy.objects.filter(hub_id=obj.hub_id, version__gt=obj.version).exists()
        )
        return not superseded and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        # The form has already run HubPolicy.full_clean() and the gate, so
        # their messages are shown beside the form before we get here.
        if change and not form.has_changed():
            return
        previous = obj.version if change else None
        was_draft = change and obj.status == PolicyStatus.DRAFT
        policy_revise(policy=obj, user=request.user)
        if previous is not None and not was_draft:
            url = reverse("hubs:policy_draft", args=[obj.hub.slug, obj.version])
            self.message_user(
                request,
                format_html(
                    "Saved as draft version {}; version {} stays in force until the new version "
                    'is approved. <a href="{}">Open the draft for comment</a> from its page.',
                    obj.version,
                    previous,
                    url,
                ),
                messages.INFO,
            )
