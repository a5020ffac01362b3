"""What monitoring's pages share: the page size, the status a refusal gets,
and placing each refusal beside its field."""

from __future__ import annotations

from monitoring import services as svc

PAGE_SIZE = 25
ROLE_RULES = {"officer_only", "partner_only", "approver_only", "chair_decides"}


def refusal_status(refused: svc.TransitionRefused) -> int:
    return 403 if refused.rule in ROLE_RULES else 400


def place(form, refused: svc.TransitionRefused) -> list[str]:
    """Each refusal beside its field; the others returned for the page's top."""
    others = []
    for refusal in getattr(refused, "refusals", [refused.refusal]):
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
