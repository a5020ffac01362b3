"""The form behind each move: only the fields that move needs."""

from __future__ import annotations

from django import forms

from commissioning.models import Commission, Proposal, ProposalStatus, Route
from commissioning.workflow import ACTIONS
from hubs.grounds import grounds_choices
from partners.models import PartnerOrganisation

# The fields each move asks for; any other move asks only for an optional note.
FIELDS_FOR: dict[str, list[str]] = {
    "begin_identification": ["route", "in_house_reason", "reason"],
    "award": [
        "partner",
        "proposal",
        "hub_grant_amount",
        "match_funding_amount",
        "conflict_declaration",
        "reason",
    ],
    "recommend_decommission": ["grounds", "reason"],
    "send_to_board": [],
    "submit_for_approval": [],
    "close_board_comment": [],
    "sign": [],
    "send_decommission_to_board": [],
    "submit_decommission_for_decision": [],
    "close_decommission_comment": [],
}


class MoveForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, spec.label) for a, spec in ACTIONS.items()])
    route = forms.ChoiceField(
        label="How will the partner be found?", choices=Route.choices, required=False
    )
    in_house_reason = forms.CharField(
        label="Why the HLO cannot deliver this itself",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Needed before a partner is sought, where the policy says so.",
    )
    partner = forms.ModelChoiceField(
        label="Partner organisation", queryset=PartnerOrganisation.objects.none(), required=False
    )
    proposal = forms.ModelChoiceField(
        label="Proposal (for a commission that went to a call)",
        queryset=Proposal.objects.none(),
        required=False,
    )
    hub_grant_amount = forms.DecimalField(
        label="Hub grant (£)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="For an award straight to a partner; a proposal brings its own figures.",
    )
    match_funding_amount = forms.DecimalField(
        label="Match funding from other sources (£)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="The partner's own and other funders' contribution to the cost.",
    )
    conflict_declaration = forms.CharField(
        label="Conflict of interest declaration",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when the HLO or a consortium member is awarded the work, where the "
        "policy says so.",
    )
    grounds = forms.ChoiceField(label="Grounds", required=False)  # the policy's list
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text="Kept in the commission's record for good.",
    )

    def __init__(self, *args, commission: Commission, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerOrganisation.objects.filter(
            hub_id=commission.hub_id
        ).order_by("name")
        self.fields["proposal"].queryset = (
            Proposal.objects.filter(commission=commission, status=ProposalStatus.SUBMITTED)
            .select_related("partner")
            .order_by("partner__name")
        )
        self.fields["grounds"].choices = lambda: grounds_choices(commission.policy)  # when asked
        self.fields["hub_grant_amount"].initial = commission.hub_grant_amount
        self.fields["match_funding_amount"].initial = commission.match_funding_amount
        self.fields["proposal"].label_from_instance = lambda p: (
            f"{p.partner.name}: £{p.total_cost:,.0f}, {p.match_funding_percent}% match funding"
        )

    def fields_for(self, action: str) -> list[forms.BoundField]:
        return [self[name] for name in FIELDS_FOR.get(action, ["reason"])]

    def params(self) -> dict:
        """The cleaned values the chosen move's service takes."""
        data, action = self.cleaned_data, self.cleaned_data["action"]
        reason = data.get("reason", "")
        if action == "begin_identification":
            return {
                "route": data.get("route"),
                "in_house_reason": data.get("in_house_reason", ""),
                "reason": reason,
            }
        if action == "award":
            return {
                "partner": data.get("partner"),
                "proposal": data.get("proposal"),
                "conflict_declaration": data.get("conflict_declaration", ""),
                "hub_grant_amount": data.get("hub_grant_amount"),
                "match_funding_amount": data.get("match_funding_amount"),
                "reason": reason,
            }
        if action == "recommend_decommission":
            return {"grounds": data.get("grounds"), "reason": reason}
        return {"reason": reason}
