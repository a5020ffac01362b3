"""Monitoring's forms. They only read what was typed; every rule is the
service layer's (monitoring/services/), whose refusals the views put
beside the field they name."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms

from commissioning.models import SmartTarget
from hubs.grounds import grounds_choices
from monitoring.models import Complaint, Report, ReviewTrigger
from monitoring.services.common import TEXT_ANSWERS
from monitoring.suppression import PARTICIPANT_FIELDS, SMALL_NUMBER_MAX

TEXT_HINTS = {
    "activities": "What you delivered in this period: sessions, ensembles, events, where.",
    "outcomes": "What changed for children and young people, against the agreed targets.",
    "challenges": "Anything that got in the way, and what you did about it.",
    "case_study": "One young person's or school's story, with no names or identifying details.",
    "recommendations": "What should inform future work (final evaluation).",
}
COUNT_HINT = (
    f"Totals only, never about a named child. Numbers from 1 to {SMALL_NUMBER_MAX} are "
    "never shown to anyone, so they cannot identify a child."
)


class ReportForm(forms.Form):
    """The partner's report: text answers, aggregate counts, and a value for
    each SMART target (fields `target_<id>` and `note_<id>`)."""

    def __init__(self, *args, report: Report, targets: list[SmartTarget], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in TEXT_ANSWERS:
            if name == "recommendations" and not report.is_final:
                continue
            self.fields[name] = forms.CharField(
                label=Report._meta.get_field(name).verbose_name.capitalize(),
                help_text=TEXT_HINTS[name],
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                max_length=20000,
            )
        for name, label, _ in PARTICIPANT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=label, min_value=0, max_value=10_000_000, required=False
            )
        self.targets = targets
        for target in targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=f"{target.description}: {target.measure} now",
                help_text=f"Baseline {target.baseline.normalize():f}; target "
                f"{target.target_value.normalize():f} by {target.due_on:%-d %B %Y}.",
                max_digits=12,
                decimal_places=2,
                required=False,
            )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label=f"Note on {target.description.lower()}", max_length=300, required=False
            )

    def text_fields(self):
        return [self[name] for name in TEXT_ANSWERS if name in self.fields]

    def count_groups(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = {}
        for name, _, group in PARTICIPANT_FIELDS:
            groups.setdefault(group, []).append(self[name])
        return list(groups.items())

    def target_fields(self):
        return [(t, self[f"target_{t.pk}"], self[f"note_{t.pk}"]) for t in self.targets]

    def readable(self) -> tuple[dict, dict[int, tuple[Decimal | None, str]]]:
        """Everything that could be read (call after is_valid): answers and
        target values; a field with an error is left as it was."""
        data = getattr(self, "cleaned_data", {})
        answers = {
            name: data[name]
            for name in self.fields
            if name in data and not name.startswith(("target_", "note_"))
        }
        progress = {}
        for target in self.targets:
            key = f"target_{target.pk}"
            if key in data:
                progress[target.pk] = (data[key], data.get(f"note_{target.pk}") or "")
        return answers, progress


class OffersDecisions:
    """A form whose `decision` choices are cut to those the page offers (the
    ones the write's gate would take); a bound form keeps every choice, so a
    refused one is answered in the gate's words, not as an invalid choice."""

    def offer(self, decisions: list[str]) -> None:
        field = self.fields["decision"]
        field.choices = [(value, label) for value, label in field.choices if value in decisions]


class DecideForm(OffersDecisions, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the report"), ("return", "Return it with comments")],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="Comments for the partner",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text="Needed when you return it: say what to change.",
    )
    instalment = forms.ModelChoiceField(
        label="Payment this report releases",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="The instalment due when a report is accepted falls due now.",
    )

    def __init__(self, *args, instalments: list, decisions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from agreements.models import Instalment

        if decisions is not None:  # only those the gate would take (the page's offer)
            self.offer(decisions)

        self.fields["instalment"].queryset = Instalment.objects.filter(
            pk__in=[i.pk for i in instalments]
        ).select_related("agreement")  # each label names its agreement's period
        self.fields["instalment"].label_from_instance = lambda i: (
            f"Instalment {i.position} of period {i.agreement.period_number}: "
            f"{i.description or i.get_milestone_display()}"
        )
        if instalments and not self.is_bound:
            self.initial["instalment"] = instalments[0].pk


class RequestForm(forms.Form):
    title = forms.CharField(label="What the report is for", max_length=200)
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="What you are asking for",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    final = forms.BooleanField(
        label="This is the final evaluation (delivery has ended)", required=False
    )


class ReviewOpenForm(forms.Form):
    trigger = forms.ChoiceField(label="Why open a review", choices=ReviewTrigger.choices)
    findings = forms.CharField(
        label="Findings",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text="What was missed (targets, standards or outcomes), and the evidence.",
    )


class ReviewActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    grounds = forms.ChoiceField(label="Grounds", required=False)  # the policy's list
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text="Kept in the commission's record for good.",
    )

    def __init__(self, *args, policy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grounds"].choices = lambda: grounds_choices(policy)  # read when asked


class ReviewCommentForm(forms.Form):
    """A commenter's comment on a recommendation to decommission. Blank is
    refused by the service, in its words."""

    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
        help_text="The officer, the other members and whoever decides see your comment.",
    )
    # A random token per form shown: the same form sent twice makes one comment.
    form_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_key"] = secrets.token_urlsafe(24)


class ReviewResponseForm(forms.Form):
    response = forms.CharField(
        label="Your response",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class AnnualReviewForm(OffersDecisions, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("renew", "Renew into a new agreement period"),
            ("lapse", "Let the agreement lapse at the end of its period"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ComplaintForm(forms.ModelForm):
    # A random token per form shown: the same form sent twice logs one
    # complaint (services.complaint_log).
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_urlsafe(24)

    class Meta:
        model = Complaint
        fields = ["kind", "raised_by", "received_on", "summary"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }


class ComplaintActForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("escalate", "Escalate"), ("resolve", "Resolve")], widget=forms.HiddenInput
    )
    text = forms.CharField(
        label="Reason or outcome", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
