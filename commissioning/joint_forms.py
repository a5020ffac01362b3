"""The form naming a co-applicant. It reads what was typed; the rules (the
hub, the lead, the shares) are the gate's (commissioning/rules/joint.py), and
its words go beside the field they concern."""

from __future__ import annotations

from django import forms

from commissioning.calls.forms import AmountField, Form
from commissioning.models import Proposal
from partners.models import PartnerOrganisation


class CoApplicantForm(Form):
    partner = forms.ModelChoiceField(
        label="Organisation bidding with you",
        queryset=PartnerOrganisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
    )
    role_in_bid = forms.CharField(
        label="What it delivers",
        max_length=300,
        required=False,
        help_text="For example: the weekly sessions in special schools.",
    )
    share_of_activity = forms.DecimalField(
        label="Its share of the activity (%)",
        max_digits=5,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-amount"}),
        help_text="The lead partner keeps the rest: together the shares add up to 100%.",
    )
    share_of_budget = AmountField(
        label="Its share of the Hub grant (£)",
        help_text="Part of the Hub grant your funding sources ask for; the lead keeps the rest.",
    )

    def __init__(self, *args, proposal: Proposal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the hub's other organisations. Any organisation sent is read,
        # so one of another hub is refused in the gate's words, not Django's.
        named = {link.partner_id for link in proposal.co_applicants.all()}
        offered = (
            PartnerOrganisation.objects.filter(hub_id=proposal.hub_id)
            .exclude(pk__in=[proposal.partner_id, *named])
            .order_by("name")
            .values_list("pk", "name")
        )
        self.fields["partner"].widget.choices = [("", "Choose an organisation"), *offered]
