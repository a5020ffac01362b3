"""Forms for agreements. They check what was typed; the services decide."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms

from agreements.models import Milestone, PaymentBasis
from agreements.payments import PlannedInstalment
from commissioning.models import FundingStream

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type=date> reads


class AgreementForm(forms.Form):
    # Its choices are the commission's policy's partnership types, given by the view.
    partnership_type = forms.ChoiceField(label="Type of partnership", choices=())
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE)
    hlo_signatory_name = forms.CharField(
        label="Signs for the Hub Lead Organisation: name", max_length=200, required=False
    )
    hlo_signatory_role = forms.CharField(label="Their role", max_length=200, required=False)
    partner_signatory_name = forms.CharField(
        label="Signs for the partner: name",
        max_length=200,
        required=False,
        help_text="Where the HLO itself delivers, a named colleague who signs as the delivery "
        "partner.",
    )
    partner_signatory_role = forms.CharField(label="Their role", max_length=200, required=False)
    note = forms.CharField(
        label="What changed (optional)",
        max_length=300,
        required=False,
        help_text="Kept with this version so anyone comparing versions knows why.",
    )

    def __init__(self, *args, sections: list[dict], type_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership_type"].choices = type_choices
        self.section_keys = []
        for section in sections:
            name = f"section_{section['key']}"
            self.fields[name] = forms.CharField(
                label=section["title"],
                widget=forms.Textarea(attrs={"rows": 6}),
                required=True,
                initial=section["body"],
            )
            self.section_keys.append(section["key"])

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The agreement must end after it starts.")
        return data

    def bodies(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"section_{key}"] for key in self.section_keys}

    def section_fields(self):
        return [self[f"section_{key}"] for key in self.section_keys]

    def detail_fields(self):
        return [self[name] for name in self.fields if not name.startswith("section_")]


class ScheduleBasisForm(forms.Form):
    basis = forms.ChoiceField(
        label="Instalments are", choices=PaymentBasis.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="What changed (optional)", max_length=300, required=False)


class InstalmentForm(forms.Form):
    description = forms.CharField(label="Description", max_length=200, required=False)
    amount = forms.DecimalField(
        label="Amount (£)",
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
    )
    percent = forms.DecimalField(
        label="Percentage of the grant",
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )
    due_on = forms.DateField(label="Due on (date)", required=False, widget=DATE)
    milestone = forms.ChoiceField(
        label="Or due at a milestone",
        choices=[("", "No milestone"), *Milestone.choices],
        required=False,
    )
    stream = forms.ChoiceField(
        label="Paid from", choices=FundingStream.choices, required=False, initial="revenue"
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(k) for k in ("description", "amount", "percent", "due_on", "milestone")
        )

    def planned(self) -> PlannedInstalment:
        d = self.cleaned_data
        return PlannedInstalment(
            amount=d.get("amount"),
            percent=d.get("percent"),
            due_on=d.get("due_on"),
            milestone=d.get("milestone") or "",
            description=d.get("description") or "",
            stream=d.get("stream") or FundingStream.REVENUE,
        )


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=2, max_num=24, absolute_max=24)


class CommentForm(forms.Form):
    section_key = forms.ChoiceField(label="Comment on", required=False)
    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 4}))
    # A random token per form shown: the same form sent twice makes one comment.
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_key"].initial = secrets.token_urlsafe(24)
        self.fields["section_key"].choices = [("", "The whole agreement")] + [
            (s["key"], s["title"]) for s in sections
        ]


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="Your response", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


# The decision form's choices and the moves they make.
DECISIONS = {"approve": "approve", "return": "return_to_draft"}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve the partnership agreement"),
            ("return", "Return it to draft"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you return the draft: the officer sees them.",
    )

    def __init__(self, *args, offered: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if offered is not None:  # only the decisions the gate would take from this person
            field = self.fields["decision"]
            field.choices = [(k, v) for k, v in field.choices if DECISIONS[k] in offered]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give your reasons for returning the draft.")
        return data


class SignatureForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=200)
    role_title = forms.CharField(
        label="Your role", max_length=200, help_text="For example: Chief Executive."
    )
    consent = forms.BooleanField(
        label="I confirm the statement above",
        error_messages={"required": "Confirm the statement to sign."},
    )


class InstalmentActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("mark_due", "Mark due"), ("approve", "Approve"), ("paid", "Mark paid")]
    )
    reference = forms.CharField(label="Payment reference", max_length=100, required=False)


class StepForm(forms.Form):
    """One of the agreement's steps; a reason where the step asks for one."""

    action = forms.CharField(max_length=40)
    reason = forms.CharField(required=False, max_length=4000)
