"""A policy version's score scale, edited by the hub admin (imported by
commissioning/admin.py, which Django's admin discovers). Only the newest
version's scale changes: calls scored under an older one keep theirs."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Max

from commissioning.models import Moderation, Score, ScoreScale
from hubs.admin.scoping import HubScopedAdmin, NewestPolicyOnly


def highest_given(policy_id: int) -> int:
    """The highest score or agreed score recorded under this policy."""
    scored = Score.objects.filter(proposal__call__commission__policy_id=policy_id)
    agreed = Moderation.objects.filter(proposal__call__commission__policy_id=policy_id)
    return max(
        scored.aggregate(m=Max("score"))["m"] or 0,
        agreed.aggregate(m=Max("agreed_score"))["m"] or 0,
    )


class ScoreScaleForm(forms.ModelForm):
    class Meta:
        model = ScoreScale
        fields = ("policy", "max_score", "words")
        widgets = {"words": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        cleaned = super().clean()
        policy, top = cleaned.get("policy"), cleaned.get("max_score")
        if policy is not None and top is not None:
            given = highest_given(policy.pk)
            if given > top:
                self.add_error(
                    "max_score",
                    f"Scores of up to {given} are recorded under this policy, so its highest "
                    f"score cannot go below {given}.",
                )
        return cleaned

    def validate_unique(self) -> None:
        try:
            self.instance.validate_unique()
        except forms.ValidationError:
            self.add_error("policy", "This policy has its score scale already: change that one.")


@admin.register(ScoreScale)
class ScoreScaleAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    form = ScoreScaleForm
    hub_lookup = "policy__hub_id"
    list_display = ("__str__", "policy")
    list_filter = (("policy__hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("policy__hub",)
