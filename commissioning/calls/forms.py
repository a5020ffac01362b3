"""Forms for calls and expressions of interest. They check only what the
database could not hold (a number that is not one, an over-long title); the
rules (word limits, budgets, the hub's policy) are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from commissioning.models import FundingKind, Proposal
from commissioning.uploads import KINDS

ACCEPT = ",".join(ext for kind in KINDS.values() for ext in kind.extensions)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the service."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class AmountField(forms.DecimalField):
    """Pounds, as people type them: '£1,250.50' is 1250.50."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "input-amount"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


class Form(forms.Form):
    """Labels without Django's trailing colon, as everywhere else here."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallPublishForm(Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the Hub wants delivered, and for whom.",
    )
    eligibility = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Who may apply."
    )
    opens_at = forms.DateTimeField(label="Opens", widget=_datetime_input())
    closes_at = forms.DateTimeField(
        label="Closes", widget=_datetime_input(), help_text="Nothing is accepted after this."
    )
    is_public = forms.BooleanField(
        required=False,
        initial=True,
        label="Show it on the Hub's public page of open calls",
        help_text="Otherwise only the Hub's partner contacts see it.",
    )
    for_schools = forms.BooleanField(
        required=False,
        label="A yearly round for schools",
        help_text="Only schools apply, each registering with its school URN.",
    )
    word_limit = forms.IntegerField(
        min_value=50,
        max_value=5000,
        initial=500,
        help_text="For each written answer in an expression of interest.",
    )
    documents = MultipleFileField(
        label="Documents",
        help_text="Guidance or a specification, as PDF, Word (DOCX), Excel (XLSX), PNG or JPEG.",
    )

    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"weight_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=100,
                initial=criterion.weight,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-weight"}),
            )

    def main_fields(self) -> list[forms.BoundField]:
        names = ("title", "summary", "eligibility", "opens_at", "closes_at")
        return [self[name] for name in (*names, "is_public", "for_schools", "word_limit")]

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{c.pk}"] for c in self.criteria]

    def weights(self) -> dict[int, int]:
        data = self.cleaned_data
        return {c.pk: data.get(f"weight_{c.pk}") or 0 for c in self.criteria}


def _answer(name: str, rows: int = 8) -> forms.CharField:
    field = Proposal._meta.get_field(name)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=str(field.verbose_name).capitalize(),
        help_text=field.help_text,
        required=False,
        max_length=field.max_length,
        widget=widget,
    )


class EOIForm(Form):
    title = _answer("title", rows=0)
    summary = _answer("summary", rows=6)
    delivery_outline = _answer("delivery_outline")
    quality_and_inclusion = _answer("quality_and_inclusion")
    planned_participants = forms.IntegerField(
        label="Children and young people you plan to reach",
        help_text=Proposal._meta.get_field("planned_participants").help_text,
        min_value=0,
        max_value=10_000_000,
        required=False,
    )
    attachments = MultipleFileField(
        label="Add files",
        help_text="PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; each up to the size shown.",
    )

    def __init__(self, *args, word_limit: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.word_limit = word_limit
        self.fields["summary"].help_text = "What you propose, in brief."
        for name in ("summary", "delivery_outline", "quality_and_inclusion"):
            self.fields[name].widget.attrs["data-word-limit"] = word_limit

    def answers(self) -> dict[str, str]:
        """The answers that could be read; a field in error keeps its stored value."""
        return {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "summary",
                "delivery_outline",
                "quality_and_inclusion",
                "planned_participants",
            )
            if name in self.cleaned_data
        }


class BudgetLineForm(Form):
    description = forms.CharField(max_length=200, required=False, label="What it pays for")
    amount = AmountField(label="Amount (£)")


# Short enough for a phone; the form explains "other income" and "in kind".
KIND_CHOICES = [
    ("", "Choose a kind"),
    (FundingKind.HUB_GRANT, "Hub Grant"),
    (FundingKind.OTHER, "Other income"),
    (FundingKind.IN_KIND, "In kind"),
]


class FundingSourceForm(Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False, label="Kind")
    description = forms.CharField(max_length=200, required=False, label="From whom")
    amount = AmountField(label="Amount (£)")


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=0, can_delete=True, max_num=100)
FundingFormSet = forms.formset_factory(FundingSourceForm, extra=0, can_delete=True, max_num=50)


def _kept(formset: forms.BaseFormSet, names: tuple[str, ...]) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        if data.get("DELETE") or all(data.get(n) in (None, "") for n in names):
            continue
        rows.append(data)
    return rows


def budget_lines(formset: forms.BaseFormSet) -> list[tuple[str, Decimal]] | None:
    """The cost lines to keep, or None when a line could not be read."""
    if not formset.is_valid():
        return None
    return [(r["description"], r["amount"]) for r in _kept(formset, ("description", "amount"))]


def funding_sources(formset: forms.BaseFormSet) -> list[tuple[str, str, Decimal]] | None:
    if not formset.is_valid():
        return None
    keep = _kept(formset, ("kind", "description", "amount"))
    return [(r["kind"], r["description"], r["amount"]) for r in keep]


def line_initial(proposal: Proposal) -> tuple[list[dict], list[dict]]:
    """The stored lines as the formsets' rows; one empty row where none."""
    costs = [
        {"description": b.description, "amount": b.amount} for b in proposal.budget_lines.all()
    ]
    funding = [
        {"kind": s.kind, "description": s.description, "amount": s.amount}
        for s in proposal.funding_sources.all()
    ]
    return costs or [{}], funding or [{}]


class CallCloseForm(Form):
    reason = forms.CharField(
        label="Why close it early",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Applicants are told this, and it is kept with the call.",
        required=False,  # the service refuses a blank reason, in its own words
    )


class CallExtendForm(Form):
    closes_at = forms.DateTimeField(
        label="New closing time",
        widget=_datetime_input(),
        help_text="Later than the current deadline.",
        required=False,  # the service says what is missing
    )
    reason = forms.CharField(
        label="Why extend it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Applicants are told this and the new date, and it is kept with the call.",
        required=False,
    )


class QuestionForm(Form):
    question = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The answer is published to every applicant, without your name or your "
        "organisation's.",
        required=False,
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label="Answer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Published on the call's pages to every applicant, without who asked.",
        required=False,
    )
