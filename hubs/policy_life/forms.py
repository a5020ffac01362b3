"""The forms of a policy's life. They check only the shape of what is typed;
the rules (hubs.policy_life.rules) say the rest, beside the same fields."""

from __future__ import annotations

import secrets

from django import forms

from hubs.policy_life.models import COMMENT_MAX, NAME_MAX, PolicyOutcome, ReviewOutcome
from hubs.refusals import Refused

# ISO dates, as a browser's date field sends and shows them.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _area(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": COMMENT_MAX})


class OnceForm(forms.Form):
    """Carries the form's own token: the same form sent twice makes one record."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_key"].initial = secrets.token_urlsafe(24)


class OpenForm(forms.Form):
    consultation_closes_on = forms.DateField(
        label="Public consultation closes (optional)",
        required=False,
        widget=DATE,
        help_text="Give a date to open the draft to partners and the public too, on a page "
        "anyone can read; leave blank for the board's comment only.",
    )


class CommentForm(OnceForm):
    body = forms.CharField(label="Your comment", required=False, widget=_area())


class ResponseForm(forms.Form):
    response = forms.CharField(label="Your response", required=False, widget=_area(3))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[
            (PolicyOutcome.APPROVE, "Approve this version"),
            (PolicyOutcome.RETURN, "Return it to draft, with reasons"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    effective_from = forms.DateField(
        label="Takes effect from",
        required=False,
        widget=DATE,
        help_text="When approving: the date the version comes into force (today or later).",
    )
    reason = forms.CharField(
        label="Reasons",
        required=False,
        widget=_area(3),
        help_text="Needed when returning it to draft; kept with your decision.",
    )


class PublicCommentForm(OnceForm):
    name = forms.CharField(label="Your name", max_length=NAME_MAX, required=False)
    organisation = forms.CharField(
        label="Organisation (optional)", max_length=NAME_MAX, required=False
    )
    email = forms.CharField(
        label="Email address (optional)",
        max_length=254,
        required=False,
        help_text="Only the hub sees it, should it need to ask you about your comment.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(label="Your comment", required=False, widget=_area(6))
    # A field people never see or fill; a form that fills it is a robot's.
    website = forms.CharField(
        label="Leave this blank",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class AnnualReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The review's decision",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reviewed_on = forms.DateField(label="Date of the review", required=False, widget=DATE)
    note = forms.CharField(label="Note of the review", required=False, widget=_area(4))


class RangeReviewForm(OnceForm):
    reviewed_on = forms.DateField(label="Date of the review", required=False, widget=DATE)
    body = forms.CharField(
        label="The board's view of the range of partnerships", required=False, widget=_area()
    )


def place(form: forms.Form, refused: Refused) -> list[str]:
    """Each refusal beside its field; the others returned for the page's top."""
    others = []
    for refusal in refused.refusals:
        if refusal.field and refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
        else:
            others.append(refusal.message)
    return others


def error_summary(form: forms.Form, others=()) -> list[tuple[str, str]]:
    found = [
        (str(e), f"#{form[name].auto_id}")
        for name, errs in form.errors.items()
        if name in form.fields
        for e in errs
    ]
    return found + [(m, "#main") for m in others]
