"""The scoring pages as each role sees them: who gets what (the access
matrix), recusal on the page, refusals beside their fields, and query counts
that do not grow with the number of proposals."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import (
    CallCriterion,
    ConflictDeclaration,
    Moderation,
    PanelMember,
    ProposalAttachment,
    ProposalStatus,
    Score,
)
from commissioning.scoring import services as svc
from commissioning.workflow import Stage
from hubs.models import Role
from hubs.services import membership_grant
from partners.models import PartnerOrganisation
from tests.access import LOGIN, PERSONAS, assert_matrix, personas
from tests.auth_helpers import sign_in
from tests.commissioning.scoring.test_services import card, open_call, score, seat, submit

pytestmark = pytest.mark.django_db

NONE = dict.fromkeys(PERSONAS, 404) | {"anonymous": LOGIN}
OFFICERS = {"hlo_staff", "service_lead", "superuser"}  # run this Luton commission
PANEL = {"approver", "board_member"}


def row(**statuses: int) -> dict[str, int]:
    return NONE | statuses


def officers(ok: int, **more: int) -> dict[str, int]:
    return row(**dict.fromkeys(OFFICERS, ok), **more)


# url name: (method, expected status per persona). The panel is the approver
# and a board member; the board member declared a conflict on the scored
# proposal, the approver none.
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "scoring:overview": ("get", officers(200, approver=200, board_member=200)),
    "scoring:panel": ("get", officers(200, approver=403, board_member=403)),
    "scoring:panel_remove": ("post", officers(302, approver=403, board_member=403)),
    "scoring:declare": ("get", officers(403, approver=200, board_member=200)),
    "scoring:score": ("get", officers(403, approver=200, board_member=200)),
    "scoring:moderate": ("get", officers(200, approver=403, board_member=403)),
    "scoring:results": ("get", officers(200, approver=200, board_member=403)),
    # The board member declared a conflict in this proposal: no files for them.
    "scoring:attachment": ("get", officers(200, approver=200, board_member=403)),
    "scoring:award": ("post", officers(302, approver=403, board_member=403)),
}
# The same pages' forms.
POST_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "scoring:panel": ("post", officers(302, approver=403, board_member=403)),
    "scoring:panel_remove": ("post", officers(302, approver=403, board_member=403)),
    "scoring:declare": ("post", officers(403, approver=302, board_member=302)),
    "scoring:score": ("post", officers(403, approver=302, board_member=403)),  # recused: 403
    "scoring:moderate": ("post", officers(302, approver=403, board_member=403)),
}


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def attach(proposal, name="plan.pdf", content=PDF) -> ProposalAttachment:
    return ProposalAttachment.objects.create(
        hub=proposal.hub,
        proposal=proposal,
        uploaded_by=proposal.submitted_by or proposal.hub.memberships.first().user,
        file=ContentFile(content, name=name),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    call = open_call(blmk, pipeline)  # a Luton commission
    luton = submit(call, blmk.partners["lutonms"])
    beats = submit(call, blmk.partners["lutonbeats"])
    seat(call, blmk.officer, blmk.approver, blmk.board[0], blmk.board[1])
    newcomer = django_user_model.objects.create_user("new@blmk.test", "new@blmk.test", "x")
    membership_grant(hub=blmk.hub, user=newcomer, role=Role.BOARD_MEMBER)
    score(luton, blmk.approver, 4, 3, 5, 2)
    svc.conflict_declare(
        proposal=luton, user=blmk.board[0], has_conflict=True, details="Trustee of it."
    )
    hub, first = blmk.hub.slug, CallCriterion.objects.filter(call=call).first()
    args = {
        "scoring:overview": [hub, call.pk],
        "scoring:panel": [hub, call.pk],
        "scoring:panel_remove": [hub, call.pk],
        "scoring:declare": [hub, call.pk, beats.pk],
        "scoring:score": [hub, call.pk, luton.pk],
        "scoring:moderate": [hub, call.pk, luton.pk],
        "scoring:results": [hub, call.pk],
        "scoring:attachment": [hub, call.pk, luton.pk, attach(luton).pk],
        "scoring:award": [hub, call.pk],
    }
    scores = card(call, 3, 4, 4, 5)
    bodies = {
        "scoring:panel": {"member": newcomer.pk},
        "scoring:panel_remove": {"seat": PanelMember.objects.get(call=call, user=blmk.board[1]).pk},
        "scoring:declare": {"has_conflict": "no"},
        "scoring:score": {
            key: value
            for cid, (s, comment) in scores.items()
            for key, value in ((f"score_{cid}", s), (f"comment_{cid}", comment))
        },
        "scoring:moderate": {
            f"agreed_{first.criterion_id}": 4,
            f"rationale_{first.criterion_id}": "Agreed at the panel meeting.",
        },
        "scoring:award": {
            "intent": "award",
            "proposal": luton.pk,
            "conflict_declaration": "Luton Music Service is a consortium member.",
            f"feedback_{beats.pk}": "A promising start; show the reach into schools.",
        },
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


@pytest.mark.parametrize("url_name", sorted(POST_MATRIX))
def test_access_matrix_of_the_forms(world, url_name):
    people, args, bodies = world
    method, expected = POST_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies[url_name])


# ── pages ────────────────────────────────────────────────────────────────────


@pytest.fixture
def kent(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline)
    medway = submit(call, cast.partners["medway"])
    coastal = submit(call, cast.partners["coastal"])
    seat(call, cast.officer, cast.approver, cast.board[0])
    return cast, call, medway, coastal


def url(name, call, *more) -> str:
    return reverse(f"scoring:{name}", args=[call.hub.slug, call.pk, *more])


def form_body(call, *scores: int) -> dict:
    return {
        key: value
        for cid, (s, comment) in card(call, *scores).items()
        for key, value in ((f"score_{cid}", s), (f"comment_{cid}", comment))
    }


def test_the_scoring_form_comes_after_the_declaration(client, kent):
    cast, call, medway, _ = kent
    sign_in(client, cast.approver)
    response = client.get(url("score", call, medway.pk))
    assert response.status_code == 302
    assert response.url == url("declare", call, medway.pk)

    response = client.post(url("declare", call, medway.pk), {"has_conflict": "no"})
    assert response.url == url("score", call, medway.pk)
    page = client.get(url("score", call, medway.pk)).content.decode()
    assert "Score for Quality" in page and "Comment on Quality" in page

    response = client.post(url("score", call, medway.pk), form_body(call, 4, 3, 5, 2))
    assert response.status_code == 302
    assert Score.objects.filter(proposal=medway, scorer=cast.approver).count() == 4


def test_a_recused_member_is_told_and_refused(client, kent):
    cast, call, medway, _ = kent
    sign_in(client, cast.board[0])
    response = client.post(
        url("declare", call, medway.pk), {"has_conflict": "yes", "details": "I am a trustee."}
    )
    assert response.url == url("overview", call)
    overview = client.get(url("overview", call)).content.decode()
    assert "Conflict declared: you are recused" in overview

    page = client.get(url("score", call, medway.pk))
    assert page.status_code == 200
    assert "You are recused from this proposal" in page.content.decode()
    assert "Score for Quality" not in page.content.decode()

    refused = client.post(url("score", call, medway.pk), form_body(call, 5, 5, 5, 5))
    assert refused.status_code == 403
    assert "so you are recused: you cannot score this proposal." in refused.content.decode()
    assert not Score.objects.filter(scorer=cast.board[0]).exists()


def test_a_conflict_without_details_is_refused_beside_the_field(client, kent):
    cast, call, medway, _ = kent
    sign_in(client, cast.approver)
    response = client.post(url("declare", call, medway.pk), {"has_conflict": "yes"})
    assert response.status_code == 400
    assert response.context["form"].errors["details"] == ["Say what the conflict of interest is."]
    assert not ConflictDeclaration.objects.exists()


def test_a_panel_member_sees_their_own_scoring_not_the_totals(client, kent):
    cast, call, _, _ = kent
    sign_in(client, cast.board[0])
    page = client.get(url("overview", call)).content.decode()
    assert "Your scoring" in page
    assert "Mean total" not in page and "Declarations of interest" not in page
    assert client.get(url("results", call)).status_code == 403


def test_officers_see_totals_spread_and_declarations(client, kent):
    cast, call, medway, _ = kent
    score(medway, cast.approver, 4, 3, 5, 2)
    sign_in(client, cast.officer)
    response = client.get(url("overview", call))
    page = response.content.decode()
    assert "Mean total" in page and "Spread by criterion" in page
    assert "Declarations of interest" in page and "Amir Approver" in page
    [medway_result] = [r for r in response.context["results"] if r.proposal == medway]
    # Kent's weights 30/25/25/20: (4x30 + 3x25 + 5x25 + 2x20) / 5 = 72
    assert medway_result.mean_total == 72


def test_moderation_without_a_rationale_is_refused_beside_the_field(client, kent):
    cast, call, medway, _ = kent
    score(medway, cast.approver, 4, 3, 5, 2)
    first = CallCriterion.objects.filter(call=call).first()
    sign_in(client, cast.officer)
    response = client.post(url("moderate", call, medway.pk), {f"agreed_{first.criterion_id}": 3})
    assert response.status_code == 400
    assert response.context["form"].errors[f"rationale_{first.criterion_id}"] == [
        "Give the rationale for the agreed score for Quality."
    ]
    assert not Moderation.objects.exists()


def _leics_results(build, pipeline):
    cast = build("leics")
    call = open_call(cast, pipeline)
    # The thin one went in before the 50% rule applied (it is refused at submission now).
    thin = submit(call, cast.partners["bhangra"], match="0.35", checked=False)
    matched = submit(call, cast.partners["leicjazz"], match="0.6")
    return cast, call, thin, matched


def test_a_refused_award_shows_the_policy_beside_the_choice_and_keeps_what_was_typed(
    client, build, pipeline
):
    cast, call, thin, matched = _leics_results(build, pipeline)
    sign_in(client, cast.officer)
    typed = {
        "intent": "award",
        "proposal": thin.pk,
        "reason": "Highest moderated score.",
        f"feedback_{thin.pk}": "Strong community reach.",
        f"feedback_{matched.pk}": "Good evaluation plan; the panel preferred another.",
    }
    response = client.post(url("award", call), typed)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["proposal"] == [
        "Leicestershire Music Hub requires at least 50% of the cost from sources other than "
        "the Hub Grant; this proposal has 35%."
    ]
    page = response.content.decode()
    assert "Good evaluation plan; the panel preferred another." in page
    assert "Highest moderated score." in page
    matched.refresh_from_db()
    assert matched.feedback == ""  # nothing saved from a refused award
    assert call.commission.__class__.objects.get(pk=call.commission_id).status == Stage.IDENTIFY


def test_a_missing_self_commissioning_declaration_is_refused_beside_its_field(
    client, build, pipeline
):
    cast = build("blmk")
    call = open_call(cast, pipeline)
    luton = submit(call, cast.partners["lutonms"])
    beats = submit(call, cast.partners["lutonbeats"])
    sign_in(client, cast.leads["Luton"])
    body = {"intent": "award", "proposal": luton.pk, f"feedback_{beats.pk}": "Close second."}
    response = client.post(url("award", call), body)
    assert response.status_code == 400
    [error] = response.context["form"].errors["conflict_declaration"]
    assert error.startswith("Luton Music Service is a consortium member: record its conflict")
    assert 'aria-invalid="true"' in response.content.decode()

    body["conflict_declaration"] = "Luton Music Service is a consortium member of BLMK."
    assert client.post(url("award", call), body).status_code == 302


def test_the_officer_awards_from_the_results_page(client, build, pipeline):
    cast, call, thin, matched = _leics_results(build, pipeline)
    sign_in(client, cast.officer)
    response = client.post(
        url("award", call),
        {
            "intent": "award",
            "proposal": matched.pk,
            f"feedback_{thin.pk}": "The match funding was below the Hub's 50%.",
        },
    )
    assert response.status_code == 302
    matched.refresh_from_db()
    thin.refresh_from_db()
    assert (matched.status, thin.status) == (ProposalStatus.SUCCESSFUL, ProposalStatus.UNSUCCESSFUL)
    assert thin.feedback == "The match funding was below the Hub's 50%."
    page = client.get(url("results", call)).content.decode()
    assert "Feedback sent" in page and "Award the commission" not in page


def test_saving_feedback_keeps_it_for_the_award(client, build, pipeline):
    cast, call, thin, _ = _leics_results(build, pipeline)
    sign_in(client, cast.officer)
    response = client.post(
        url("award", call), {"intent": "save", f"feedback_{thin.pk}": "Below 50% match."}
    )
    assert response.status_code == 302
    thin.refresh_from_db()
    assert (thin.feedback, thin.status) == ("Below 50% match.", ProposalStatus.SUBMITTED)


def _queries(client, address) -> int:
    """Queries a request makes, as in production: not the savepoints that the
    test's own transaction puts around the session's save."""
    client.get(address)  # the first request after signing in also settles the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def _more_scored_proposals(cast, call, n: int, start: int) -> None:
    criteria = list(CallCriterion.objects.filter(call=call))
    for i in range(start, start + n):
        partner = PartnerOrganisation.objects.create(
            hub=cast.hub, name=f"Partner {i}", organisation_type="charity"
        )
        proposal = submit(call, partner)
        ConflictDeclaration.objects.bulk_create(
            ConflictDeclaration(proposal=proposal, member=m, has_conflict=False)
            for m in (cast.approver, cast.board[0])
        )
        Score.objects.bulk_create(
            Score(
                proposal=proposal, scorer=m, criterion=cc.criterion, score=(i + k) % 6, comment="."
            )
            for k, m in enumerate((cast.approver, cast.board[0]))
            for cc in criteria
        )


@pytest.mark.parametrize("page", ["overview", "results"])
def test_scoring_pages_cost_the_same_queries_for_3_or_30_proposals(client, build, pipeline, page):
    cast = build("kent")
    call = open_call(cast, pipeline)
    seat(call, cast.officer, cast.approver, cast.board[0])
    _more_scored_proposals(cast, call, 3, 0)
    sign_in(client, cast.officer)
    few = _queries(client, url(page, call))
    _more_scored_proposals(cast, call, 27, 3)
    response = client.get(url(page, call))
    assert len(response.context["results"]) == 30
    assert all(r.scorers == 2 for r in response.context["results"])
    assert _queries(client, url(page, call)) == few
    assert few <= 15


def test_a_member_who_has_not_recorded_anything_can_be_taken_off_the_panel(client, kent):
    cast, call, medway, _ = kent
    sign_in(client, cast.officer)
    approver_seat = PanelMember.objects.get(call=call, user=cast.approver)
    board_seat = PanelMember.objects.get(call=call, user=cast.board[0])
    svc.conflict_declare(proposal=medway, user=cast.board[0], has_conflict=False)

    kept = client.post(url("panel_remove", call), {"seat": board_seat.pk})
    assert kept.status_code == 400
    assert "has already declared interests or scored" in kept.content.decode()
    assert PanelMember.objects.filter(pk=board_seat.pk).exists()

    gone = client.post(url("panel_remove", call), {"seat": approver_seat.pk}, follow=True)
    assert "is no longer on the panel" in gone.content.decode()
    assert not PanelMember.objects.filter(pk=approver_seat.pk).exists()


def test_the_dashboard_asks_panel_members_to_declare_and_score_once_the_call_closes(client, kent):
    cast, *_ = kent
    sign_in(client, cast.board[0])
    dashboard = reverse("commissioning:dashboard", args=[cast.hub.slug])
    assert "Declare interests and score" in client.get(dashboard).content.decode()
    sign_in(client, cast.board[1])  # not on the panel
    assert "Declare interests and score" not in client.get(dashboard).content.decode()


def test_panel_members_read_a_proposal_s_files_once_they_declare_no_conflict(client, kent):
    cast, call, medway, _ = kent
    file = attach(medway, "Delivery plan.pdf")
    sign_in(client, cast.board[0])
    download = url("attachment", call, medway.pk, file.pk)
    refused = client.get(download)
    assert refused.status_code == 403
    svc.conflict_declare(proposal=medway, user=cast.board[0], has_conflict=False)
    page = client.get(url("score", call, medway.pk)).content.decode()
    assert "Delivery plan.pdf" in page and download in page
    served = client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
