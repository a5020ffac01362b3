"""The forms of scoring a call. They check what was typed; the rules of the
process (panel seats, recusal, the policy at award) are the services'."""

from __future__ import annotations

from django import forms

from commissioning.models import CallCriterion, Proposal, ProposalStatus
from commissioning.scoring.scale import Scale


def _person(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


class PanelAddForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Add to the panel",
        queryset=None,
        empty_label="Choose a person",
        help_text="HLO staff, approvers and board members of the hub, and the service lead "
        "for the commission's area.",
    )

    def __init__(self, *args, eligible, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = eligible
        self.fields["member"].label_from_instance = _person


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this organisation or its proposal?",
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes, I have a conflict")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example: you work for, advise, are related to or have worked with "
        "the organisation, or stand to gain from its success. A conflict recuses you from "
        "scoring this proposal.",
    )
    details = forms.CharField(
        label="What is the conflict?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Needed if you have a conflict; kept in the call's record.",
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not data.get("details", "").strip():
            self.add_error("details", "Say what the conflict of interest is.")
        return data


class ScoreForm(forms.Form):
    """A score and a comment for each of the call's criteria."""

    def __init__(
        self, *args, criteria: list[CallCriterion], scale: Scale, existing=None, **kwargs
    ) -> None:
        existing = existing or {}
        initial = {}
        for cc in criteria:
            if cc.criterion_id in existing:
                initial[f"score_{cc.criterion_id}"] = existing[cc.criterion_id].score
                initial[f"comment_{cc.criterion_id}"] = existing[cc.criterion_id].comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for cc in criteria:
            name = cc.criterion.name
            self.fields[f"score_{cc.criterion_id}"] = forms.TypedChoiceField(
                label=f"Score for {name}",
                choices=[("", "Choose a score"), *scale.choices()],
                coerce=int,
                help_text=scale.hint,
                error_messages={
                    "required": f"Score {name} from 0 to {scale.max}.",
                    "invalid_choice": f"Score {name} from 0 to {scale.max}.",
                },
            )
            self.fields[f"comment_{cc.criterion_id}"] = forms.CharField(
                label=f"Comment on {name}",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=4000,
                help_text="Why this score: the evidence in the proposal.",
                error_messages={"required": f"Explain your score for {name}."},
            )

    def groups(self) -> list[tuple[CallCriterion, forms.BoundField, forms.BoundField]]:
        return [
            (cc, self[f"score_{cc.criterion_id}"], self[f"comment_{cc.criterion_id}"])
            for cc in self.criteria
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            cc.criterion_id: (data[f"score_{cc.criterion_id}"], data[f"comment_{cc.criterion_id}"])
            for cc in self.criteria
        }


class ModerationForm(forms.Form):
    """An agreed score and its rationale, for any of the call's criteria."""

    def __init__(
        self, *args, criteria: list[CallCriterion], scale: Scale, existing=None, **kwargs
    ) -> None:
        existing = existing or {}
        initial = {}
        for cc in criteria:
            if cc.criterion_id in existing:
                initial[f"agreed_{cc.criterion_id}"] = existing[cc.criterion_id].agreed_score
                initial[f"rationale_{cc.criterion_id}"] = existing[cc.criterion_id].rationale
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for cc in criteria:
            name = cc.criterion.name
            self.fields[f"agreed_{cc.criterion_id}"] = forms.TypedChoiceField(
                label=f"Agreed score for {name}",
                choices=[("", "Not moderated: use the panel's mean"), *scale.choices()],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": f"Give the agreed score for {name}, from 0 to {scale.max}."
                },
            )
            self.fields[f"rationale_{cc.criterion_id}"] = forms.CharField(
                label=f"Rationale for {name}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=4000,
                help_text="Needed with an agreed score; kept in the call's record.",
            )

    def clean(self):
        data = super().clean()
        for cc in self.criteria:
            agreed = data.get(f"agreed_{cc.criterion_id}")
            rationale = data.get(f"rationale_{cc.criterion_id}", "")
            if agreed is not None and not rationale.strip():
                self.add_error(
                    f"rationale_{cc.criterion_id}",
                    f"Give the rationale for the agreed score for {cc.criterion.name}.",
                )
        return data

    def groups(self) -> list[tuple[CallCriterion, forms.BoundField, forms.BoundField]]:
        return [
            (cc, self[f"agreed_{cc.criterion_id}"], self[f"rationale_{cc.criterion_id}"])
            for cc in self.criteria
        ]

    def agreed(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            cc.criterion_id: (
                data[f"agreed_{cc.criterion_id}"],
                data.get(f"rationale_{cc.criterion_id}", ""),
            )
            for cc in self.criteria
            if data.get(f"agreed_{cc.criterion_id}") is not None
        }


class AwardForm(forms.Form):
    """Feedback for every proposal, and (to award) the winner."""

    intent = forms.ChoiceField(
        choices=[("save", "Save the feedback"), ("award", "Award")],
        widget=forms.HiddenInput,
        required=False,
    )
    proposal = forms.ModelChoiceField(
        label="Which proposal wins the award?",
        queryset=Proposal.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    conflict_declaration = forms.CharField(
        label="Conflict of interest declaration",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Needed when the HLO or a consortium member wins, where the hub's policy "
        "says so.",
    )
    reason = forms.CharField(
        label="Reason for the award",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Kept in the commission's record for good.",
    )

    def __init__(self, *args, results, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.results = results
        proposals = [r.proposal for r in results]
        open_ids = [p.pk for p in proposals if p.status == ProposalStatus.SUBMITTED]
        field = self.fields["proposal"]
        field.queryset = Proposal.objects.filter(pk__in=open_ids).select_related("partner")
        totals = {r.proposal.pk: r.moderated_total for r in results}

        def label(p: Proposal) -> str:
            total = totals.get(p.pk)
            score = f"moderated score {total:.1f} out of 100" if total is not None else "not scored"
            return (
                f"{p.partner.name}: £{p.total_cost:,.0f}, {p.match_funding_percent}% match "
                f"funding, {score}"
            )

        field.label_from_instance = label
        for p in proposals:
            self.fields[f"feedback_{p.pk}"] = forms.CharField(
                label=f"Feedback for {p.partner.name}",
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=8000,
                initial=p.feedback,
                help_text="Sent to the partner with the outcome.",
            )

    def feedback_fields(self) -> list[forms.BoundField]:
        return [self[f"feedback_{r.proposal.pk}"] for r in self.results]

    def clean(self):
        data = super().clean()
        if data.get("intent") == "award" and data.get("proposal") is None:
            self.add_error("proposal", "Choose the proposal that wins the award.")
        return data

    def feedback(self) -> dict[int, str]:
        return {
            r.proposal.pk: self.cleaned_data.get(f"feedback_{r.proposal.pk}", "")
            for r in self.results
            if r.proposal.status == ProposalStatus.SUBMITTED
        }
