"""Decision routes and named groups, configured by the hub admin.

A route is edited on its own page with its steps inline, and says itself in
plain words above them ("Awards of £10,000 or more: the board may be asked to
comment (advisory) for 7 days ...; then 2 of the approvers must all
approve."). Only the routes of a hub's newest policy version change: older
versions stay as the commissions that ran under them saw them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from hubs.admin.scoping import HubScopedAdmin, HubScopedInline, NewestPolicyOnly, SameHubForm
from hubs.decision_routes import AdvisoryGroup, DecisionRoute, RouteStep, route_shape_errors
from hubs.models import HubPolicy, Membership, Role
from hubs.routes import route_words, routes_of


class StepsFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        for form in self.forms:  # the order they are listed in is the route's order
            if form.cleaned_data.get("position") is None:
                form.instance.position = 0
            # A name given for the body it had ('approvers') would name the new
            # body wrongly ('one of the approvers decides' for HLO staff).
            renamed = "body" in form.changed_data and "name" not in form.changed_data
            if renamed and form.instance.pk:
                form.instance.name = form.cleaned_data["name"] = ""
        kept.sort(key=lambda step: step.position)
        errors = route_shape_errors(kept)
        if errors:
            raise forms.ValidationError(errors)


class RouteStepInline(HubScopedInline, admin.TabularInline):
    model = RouteStep
    formset = StepsFormSet
    hub_lookup = "route__policy__hub_id"
    parent_hub_lookup = "policy__hub_id"
    extra = 1
    fields = ("position", "kind", "body", "group", "name", "required", "window_days", "needed")
    fields += ("separate",)


@admin.register(DecisionRoute)
class DecisionRouteAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    hub_lookup = "policy__hub_id"
    inlines = [RouteStepInline]
    list_display = ("__str__", "policy", "in_words")
    list_filter = ("kind", ("policy__hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("policy__hub", "service_category")
    fields = ("policy", "kind", "from_value", "below_value", "service_category", "in_words")
    readonly_fields = ("in_words",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("steps__group")

    @admin.display(description="In plain words")
    def in_words(self, obj: DecisionRoute | None) -> str:
        return (
            route_words(obj) if obj is not None and obj.pk else "Saved routes say themselves here."
        )


# Roles that read a hub's drafts and recommendations: a group member needs one
# to reach the page their group is asked to comment on.
READS_DRAFTS = [Role.BOARD_MEMBER, Role.HLO_STAFF, Role.SERVICE_LEAD, Role.APPROVER]
READS_DRAFTS += [Role.HUB_ADMIN]


class AdvisoryGroupForm(SameHubForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        hub, members = cleaned.get("hub"), cleaned.get("members")
        if hub is None or not members:
            return cleaned
        inside = set(
            Membership.objects.filter(hub=hub, user__in=members, role__in=READS_DRAFTS).values_list(
                "user_id", flat=True
            )
        )
        outside = [person for person in members if person.pk not in inside]
        for person in outside:
            name = person.get_full_name() or person.email
            self.add_error(
                "members",
                f"{name} has no role in {hub.name} that can read drafts: give them one "
                "(Memberships) first.",
            )
        return cleaned


@admin.register(AdvisoryGroup)
class AdvisoryGroupAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = AdvisoryGroupForm
    list_display = ("name", "hub")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    filter_horizontal = ("members",)
    search_fields = ("name",)


def routes_in_words(policy: HubPolicy) -> str:
    """The policy's routes, one line each, for its admin page."""
    if policy is None or policy.pk is None:
        return "Once saved, the policy's decision routes are listed here."
    lines = [(route_words(r),) for r in routes_of(policy)]
    if not lines:
        return "No decision routes yet: add them under Decision routes."
    return format_html_join("", "<p>{}</p>", lines)
