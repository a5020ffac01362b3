"""Each demo hub's story (demo/data/stories.py), played through the Pipeline:
two needs analyses, a commission with its own title and scope at every stage
the hub's policy uses, and more partnerships under way with other partners,
each step on its own day over the past sixteen months (demo.clock).

The days are fixed offsets from the day of the load, so the story always
ends in the recent past: what is waiting on someone waited days, what was
completed finished last summer, and what is live was signed this autumn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from commissioning import services as cs
from commissioning.models import Need, NeedsAnalysis
from demo import clock
from demo.data.stories import STORIES
from hubs.models import BoardComment

# Days between one step and the one before it.
GAPS = {
    "identify": 14,
    "award": 42,
    "to_approval": 8,
    "approve": 6,
    "sign": 9,
    "recommend": 150,
    "to_decision": 12,
    "decide": 14,
    "_return": 5,
    "_to_board": 8,
    "_board_comment": 5,
    "_partner_signs": 9,
    "_pay_first_instalment": 4,
    "_renew": 60,
    "_complete": 250,
    "_decommission_to_board": 10,
    "_end": 40,
    "_withdraw": 25,
    "_terminate": 75,
}
# How many days ago each stage's last step happened.
ENDS = {
    "Need identified": 12,
    "Identifying a partner": 20,
    "Drafting the agreement": 9,
    "Returned to draft": 3,
    "Awaiting approval": 2,
    "Approved, awaiting signature": 5,
    "Signed by the partner": 1,
    "Signed and active": 10,
    "Completed": 140,
    "Decommissioning recommended": 25,
    "Decommissioning awaiting decision": 8,
    "Decommissioning approved": 12,
    "Decommissioned": 100,
    "Withdrawn": 200,
    "With the board for comment": 4,
    "Decommissioning with the board": 6,
    "Terminated for safeguarding": 90,
    "live": 30,
}
PRIORITY = {"high": Need.Priority.HIGH, "medium": Need.Priority.MEDIUM, "low": Need.Priority.LOW}
STAKEHOLDERS = ["schools", "young_people", "parents", "community", "ace", "dfe"]


@dataclass(frozen=True)
class Work:
    stage: str
    need: str
    partner: str  # "-", "key" or "winner>other"
    title: str
    scope: str


def cycles() -> tuple[str, str]:
    """The last academic year and this one, as the needs analyses name them."""
    today = clock.today()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start - 1}/{str(start)[2:]}", f"{start}/{str(start + 1)[2:]}"


def _rows(text: str, width: int) -> list[list[str]]:
    rows = []
    for line in text.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        assert len(cells) == width, line
        rows.append(cells)
    return rows


def work(slug: str) -> list[Work]:
    return [Work(*row) for row in _rows(STORIES[slug][1], 5)]


def needs(pipeline: Any) -> dict[str, Need]:
    """The hub's two needs analyses, each completed in July before its year."""
    hub, officer = pipeline.hub, pipeline.cast.officer
    previous, current = cycles()
    found: dict[str, Need] = {}
    for key, year, priority, title, description, target, measure, base, value in _rows(
        STORIES[hub.slug][0], 9
    ):
        cycle = previous if year == "previous" else current
        first_year = int(cycle[:4])
        completed = date(first_year, 7, 1)
        analysis = NeedsAnalysis.objects.filter(hub=hub, cycle=cycle).first()
        if analysis is None:
            clock.set_day((clock.today() - completed).days + 20)
            analysis = cs.needs_analysis_create(
                hub=hub,
                user=officer,
                cycle=cycle,
                # the last year's keeps the name the demo's guides use
                title="Annual needs analysis" if year == "previous" else "Needs analysis",
                summary="Consultation with schools, young people, parents, community "
                "organisations, Arts Council England and the DfE.",
                stakeholders_consulted=STAKEHOLDERS,
                completed_on=completed,
            )
        clock.set_day((clock.today() - completed).days + 10)
        found[key] = cs.need_add(
            analysis=analysis,
            title=title,
            description=description,
            priority=PRIORITY[priority],
            targets=[
                {
                    "description": target,
                    "measure": measure,
                    "baseline": Decimal(base),
                    "target_value": Decimal(value),
                    "due_on": date(first_year + 1, 7, 31),
                }
            ],
        )
    return found


def plan_for(pipeline: Any, item: Work) -> dict[str, Any]:
    """The scenario's partner (and rival, and service area) for one piece of work."""
    if item.partner == "-":
        return {}
    cast = pipeline.cast
    winner, _, rival = item.partner.partition(">")
    partner = cast.partners[winner]
    plan: dict[str, Any] = {"partner": winner}
    if rival:
        plan["rival"] = rival
    if partner.service_area_id:
        plan["area"] = partner.service_area.name
    if partner.is_hlo:
        plan["declaration"] = (
            f"{partner.name} is the HLO; it bid through the open call like any other organisation."
        )
    elif partner.is_consortium_member:
        plan["declaration"] = (
            f"{partner.name} is a consortium member; its bid followed its local authority's "
            "commissioning policy and it declared the interest."
        )
    else:
        plan["declaration"] = ""
    return plan


def duration(pipeline: Any, name: str) -> int:
    """Days a step takes inside itself (a board's comment window, a countersignature)."""
    if name == "to_approval" and pipeline.policy.board_comment_on_drafts != BoardComment.SKIPPED:
        return 15
    if name == "to_decision" and (
        pipeline.policy.board_comment_on_decommission != BoardComment.SKIPPED
    ):
        return 15
    if name == "sign":
        return 2
    return 0


def play(
    pipeline: Any,
    item: Work,
    actions: list,
    amount: Decimal,
    needs_by_key: dict,
    end: int | None = None,
) -> Any:
    """Open one commission and take it through `actions`, each on its day,
    the last `end` days ago (the stage's usual wait unless given)."""
    names = [getattr(a, "__name__", "") for a in actions]
    spans = [GAPS.get(n, 7) + duration(pipeline, n) for n in names]
    day = (ENDS[item.stage] if end is None else end) + sum(spans)  # days ago it opened
    pipeline.scenario = plan_for(pipeline, item)
    clock.set_day(day, hour=9)
    c = pipeline._open(
        item.title,
        description=item.scope,
        need=needs_by_key[item.need],
        amount=amount,
        category=CATEGORY_BY_NEED.get(item.need, ""),
    )
    for name, action in zip(names, actions, strict=True):
        day -= GAPS.get(name, 7)
        clock.set_day(day, hour=11)
        action(c)
        day -= duration(pipeline, name)
    pipeline.scenario = {}
    return c


# Kent commissions by service category: each need's category.
CATEGORY_BY_NEED = {
    "funded": "Schools (Funded Opportunities)",
    "instruments": "Musical instruments",
    "send": "Out-of-school activities",
    "cpd": "Professional development",
    "research": "Research",
}


def _amount(n: int) -> Decimal:
    """Grants from £3,000 to £20,500, the same each load."""
    return Decimal(3000 + 1750 * ((n * 5) % 11))


def play_hub(pipeline: Any, stages: list, signed: list) -> None:
    """The hub's needs, a commission at every stage, then its other live partnerships."""
    from demo import partners_demo  # (it imports demo.cast, as the Pipeline's callers do)

    partners_demo.load(pipeline.cast)  # the partners the story names; idempotent
    found = needs(pipeline)
    items = work(pipeline.hub.slug)
    by_stage = {item.stage: item for item in items}
    for n, (stage, actions) in enumerate(stages):
        play(pipeline, by_stage[stage], actions, _amount(n), found)
    live = [item for item in items if item.stage == "live"]
    for n, item in enumerate(live):
        play(pipeline, item, signed, _amount(n + 20), found, end=ENDS["live"] + 15 * n)


def title(slug: str, stage: str) -> str:
    """The title of the demo commission a hub's story puts at `stage` (as the
    Pipeline names it, or "call open", "call scoring"...): for tests and guides."""
    return next(item.title for item in work(slug) if item.stage == stage)


def need_of(hub: Any, item: Work) -> Need:
    """The need a piece of work meets, from the analysis of its year."""
    previous, current = cycles()
    row = next(r for r in _rows(STORIES[hub.slug][0], 9) if r[0] == item.need)
    cycle = previous if row[1] == "previous" else current
    return Need.objects.get(hub=hub, analysis__cycle=cycle, title=row[3])
