"""Grounds for decommissioning, a list on each policy version, edited by the
hub admin. As with routes, only the newest version's list changes: older
versions stay as the commissions that ran under them saw them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from hubs.admin.scoping import HubScopedAdmin, NewestPolicyOnly
from hubs.grounds import Ground, GroundKind, ground_save, grounds_of
from hubs.models import HubPolicy


def _in_use(policy_id: int, key: str) -> bool:
    from commissioning.models import Commission  # commissioning sits above hubs

    return Commission.objects.filter(policy_id=policy_id, decommission_grounds=key).exists()


class GroundForm(forms.ModelForm):
    class Meta:
        model = Ground
        fields = ("policy", "position", "key", "label", "kind")

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        was = self.instance.key if self.instance.pk else None
        if was and key != was and _in_use(self.instance.policy_id, was):
            raise forms.ValidationError(
                f"Commissions under this policy were decommissioned on '{was}', so its key "
                "stays; change the label instead."
            )
        return key

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("key", "This policy's list already has a ground with that key.")


@admin.register(Ground)
class GroundAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    form = GroundForm
    hub_lookup = "policy__hub_id"
    list_display = ("label", "key", "kind", "position", "policy")
    list_filter = ("kind", ("policy__hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("policy__hub",)
    search_fields = ("label", "key")

    def save_model(self, request, obj, form, change):
        ground_save(obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _in_use(obj.policy_id, obj.key):
            return False  # a key commissions use stays
        return super().has_delete_permission(request, obj)


def grounds_in_list(policy: HubPolicy) -> str:
    """The policy's grounds, one line each, for its admin page."""
    if policy is None or policy.pk is None:
        return "Once saved, the policy's grounds for decommissioning are listed here."
    lines = [(g.label, KIND_WORDS[g.kind]) for g in grounds_of(policy)]
    return format_html_join("", "<p>{} ({})</p>", lines)


KIND_WORDS = {
    GroundKind.POSITIVE: "positive",
    GroundKind.NEGATIVE: "negative",
    GroundKind.TERMINATION: "ends the partnership at once",
}
