"""One way to render a form field on the sign-in pages: a label, a hint and
an error beside the input, tied to it with aria-describedby."""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.inclusion_tag("accounts/_field.html")
def form_field(
    field: BoundField,
    label: str = "",
    hint: str = "",
    autocomplete: str = "",
    inputmode: str = "",
    describedby: str = "",
    css_class: str = "",
) -> dict:
    """`describedby` adds ids (say, the form's error summary) to the input's
    aria-describedby. Placeholders are dropped: a hint above the box stays
    visible while typing."""
    hint = hint or field.help_text
    hint_id = f"{field.auto_id}_helptext" if hint else ""
    error_id = f"{field.auto_id}_error" if field.errors else ""
    attrs: dict[str, str | bool] = {"placeholder": False}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if inputmode:
        attrs["inputmode"] = inputmode
    if css_class:
        attrs["class"] = css_class
    ids = " ".join(i for i in (hint_id, error_id, describedby) if i)
    if ids:
        attrs["aria-describedby"] = ids
    return {
        "field": field,
        "label": label or field.label,
        "hint": hint,
        "hint_id": hint_id,
        "error_id": error_id,
        "input": field.as_widget(attrs=attrs),
    }
