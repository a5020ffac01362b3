"""Draft versions: an older save never overwrites a newer one.

A draft a person writes in a form (an expression of interest, a report) has a
`draft_version`. The page carries the version it was loaded with; each save
from the page (an autosave, "Save draft", a submit) sends it back and, when it
is still the saved one, moves it on by one in a single compare-and-set
`UPDATE ... SET draft_version = n + 1 WHERE id = ... AND draft_version = n`.
A save that carries an older version (an autosave that was still in flight
when the form was submitted, or a second tab) is refused, whatever order the
requests reach the server in.
"""

from __future__ import annotations

from django.db.models import F, Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from hubs.refusals import Refusal, Refused

STALE = "draft_changed"


def sent_version(data) -> int:
    """The version a page sent (POST data); 0, which no draft has, when it
    sent none or nonsense, so such a save is refused rather than trusted."""
    value = str(data.get("draft_version", "")).strip()
    return int(value) if value.isdigit() and len(value) < 10 else 0


def draft_version_refusal(*, saved: int, sent: int | None, what: str) -> Refusal | None:
    """None when `sent` is the version saved (or no page is involved: a
    service caller with None), else the refusal in the partner's words."""
    if sent is None or sent == saved:
        return None
    return Refusal(
        STALE,
        f"This {what} was saved from another page (another tab or window, or an earlier "
        "save that arrived late) after this page was opened, so this page's copy was not "
        "saved over it.",
    )


def draft_version_claim(queryset: QuerySet, obj: Model, *, sent: int | None, what: str) -> int:
    """The compare-and-set: moves `obj`'s version on from `sent` (or from the
    one it has, for a service caller) in one UPDATE, and returns the new one.
    Refused when another save moved it first."""
    expected = obj.draft_version if sent is None else sent
    refusal = draft_version_refusal(saved=obj.draft_version, sent=sent, what=what)
    if refusal is None:
        moved = queryset.filter(pk=obj.pk, draft_version=expected).update(
            draft_version=F("draft_version") + 1
        )
        if moved:
            obj.draft_version = expected + 1
            return obj.draft_version
        refusal = draft_version_refusal(saved=-1, sent=expected, what=what)
    raise Refused(refusal)


def autosave_answer(
    request: HttpRequest, *, message: str, version: int, saved: bool = True, status: int = 200
) -> HttpResponse:
    """What an autosave endpoint answers. htmx (static/js/autosave.js) gets the
    words for the form's live region and, when saved, the new version as an
    out-of-band swap of the form's hidden field, so the next save carries it;
    any other client gets the same as JSON."""
    if getattr(request, "htmx", False):
        context = {"message": message, "version": version, "saved": saved}
        return render(request, "hubs/_autosave_answer.html", context, status=status)
    body = {"saved": saved, "message": message, "draft_version": version}
    return JsonResponse(body | ({} if saved else {"error": message}), status=status)


def not_saved(refused: Refused) -> str:
    """An autosave's words for a refused save, in the form's live region."""
    if refused.rule != STALE:
        return f"Not saved: {refused.message}"
    return (
        f"Not saved. {refused.message} Your answers are still on this page: press "
        "'Save draft' to see what is saved beside what you typed."
    )
