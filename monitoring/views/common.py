"""What monitoring's pages share: the page size, and placing each refusal
beside its field (a refusal's HTTP status is its own: `refused.status`)."""

from __future__ import annotations

from hubs.refusals import Refused

PAGE_SIZE = 25


def place(form, refused: Refused) -> list[str]:
    """Each refusal beside its field; the others returned for the page's top."""
    others = []
    for refusal in refused.refusals:
        if refusal.field and refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
        else:
            others.append(refusal.message)
    return others


def error_summary(form, others=()) -> list[tuple[str, str]]:
    """(message, id to link to) for the summary at the top of a form."""
    found = [
        (str(e), f"#{form[name].auto_id}")
        for name, errs in form.errors.items()
        if name in form.fields
        for e in errs
    ]
    return found + [(m, "#main") for m in others]
