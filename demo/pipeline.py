"""Walks each demo hub's commissions through the real services, one per stage
its policy uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commissioning import services as cs
from commissioning.calls import services as calls
from commissioning.models import (
    Call,
    Commission,
    DecommissionGrounds,
    Need,
    Route,
    TransitionLog,
)
from demo import agreements_demo, clock, stories
from demo.calls_demo import demo_calls
from demo.cast import Cast
from hubs.models import BoardComment, ServiceArea


class Pipeline:
    """Walks commissions through the real services, one per stage the hub's
    policy uses, so every stage has an example with a genuine history."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.hub = cast.hub
        self.policy = cast.hub.policies.in_force().order_by("-version").first()
        self.counter = 0
        # The demo's story names a partner (and rival, area) per commission.
        self.scenario: dict[str, Any] = {}

    # which partner, route and proposal each hub uses
    def _plan(self) -> dict[str, Any]:
        plans: dict[str, dict[str, Any]] = {
            "herts": {"route": Route.EXISTING_PARTNER, "partner": "soundwaves"},
            "kent": {"route": Route.EXISTING_PARTNER, "partner": "medway"},
            "blmk": {
                "route": Route.EXISTING_PARTNER,
                "partner": "lutonms",
                "area": "Luton",
                "declaration": "Luton Music Service is a consortium "
                "member; its bid followed Luton Borough Council's commissioning policy "
                "and the Luton lead declared the interest.",
            },
            "leics": {
                "route": Route.OPEN_CALL,
                "partner": "leicjazz",
                "rival": "bhangra",
                "match": Decimal("0.6"),
                "rival_match": Decimal("0.5"),
            },
            "consortium": {
                "route": Route.OPEN_CALL,
                "partner": "countyms",
                "rival": "mtech",
                "match": Decimal("0.3"),
                "declaration": "County Music Service is the HLO; it bid through the "
                "open call like any other organisation.",
            },
        }
        plan = dict(plans[self.hub.slug]) | self.scenario
        for key in ("partner", "rival"):
            if key in plan:
                plan[key] = self.cast.partners[plan[key]]
        return plan

    def _officer(self) -> Any:
        plan = self._plan()
        if "area" in plan:
            return self.cast.leads[plan["area"]]
        return self.cast.officer

    def _open(
        self,
        title: str,
        *,
        description: str = "",
        need: Need | None = None,
        amount: Decimal | None = None,
        category: str = "",
    ) -> Commission:
        self.counter += 1
        plan = self._plan()
        area = ServiceArea.objects.get(hub=self.hub, name=plan["area"]) if "area" in plan else None
        need = need or self._need(area)
        categories = self.hub.service_categories.order_by("position")
        return cs.commission_open(
            need=need,
            user=self._officer(),
            title=title,
            description=description or f"Demo commission {self.counter} for {self.hub.name}.",
            service_area=area,
            service_category=categories.filter(name=category).first() or categories.first(),
            hub_grant_amount=amount or Decimal(5000 * self.counter),
        )

    def _need(self, area: ServiceArea | None) -> Need:
        need = Need.objects.filter(hub=self.hub).first()
        if need is not None:
            return need
        analysis = cs.needs_analysis_create(
            hub=self.hub,
            user=self.cast.officer,
            cycle="2025/26",
            title="Annual needs analysis",
            summary="Consultation with schools, young people, parents, community "
            "organisations, Arts Council England and the DfE.",
            stakeholders_consulted=[
                "schools",
                "young_people",
                "parents",
                "community",
                "ace",
                "dfe",
            ],
            completed_on=date(2025, 7, 1),
        )
        return cs.need_add(
            analysis=analysis,
            title="Too few inclusive ensembles for young people with SEND",
            description="Schools report few chances for pupils with SEND to play together.",
            priority=Need.Priority.HIGH,
            service_area=area,
            targets=[
                {
                    "description": "Young people with SEND in weekly inclusive ensembles",
                    "measure": "participants enrolled",
                    "baseline": Decimal(40),
                    "target_value": Decimal(120),
                    "due_on": date(2026, 7, 31),
                }
            ],
        )

    # single steps
    def identify(self, c: Commission) -> None:
        plan = self._plan()
        cs.commission_begin_identification(
            commission=c,
            user=self._officer(),
            route=plan["route"],
            reason="" if plan["route"] != Route.OPEN_CALL else "No existing partner fits.",
        )

    def award(self, c: Commission) -> TransitionLog:
        plan = self._plan()
        proposal, feedback = None, {}
        if plan["route"] == Route.OPEN_CALL:
            call = self._closed_call(c)
            for partner, share in (
                (plan["partner"], plan["match"]),
                (plan["rival"], plan.get("rival_match", Decimal("0.1"))),
            ):
                total = Decimal(20000)
                other = (total * share).quantize(Decimal(1))
                submitted = cs.proposal_submit(
                    commission=c,
                    call=call,
                    partner=partner,
                    summary=f"{partner.name}'s proposal",
                    total_cost=total,
                    hub_grant_requested=total - other,
                    other_funding=other,
                )
                if proposal is None:
                    proposal = submitted
                else:
                    feedback[submitted.pk] = (
                        "A strong proposal; the panel preferred the other for its reach."
                    )
            Call.objects.filter(pk=call.pk).update(closed_at=timezone.now())
        log = cs.commission_award(
            commission=c,
            user=self._officer(),
            partner=plan["partner"],
            proposal=proposal,
            conflict_declaration=plan.get("declaration", ""),
            feedback=feedback,
        )
        agreements_demo.draft(self.cast, c, self._officer())
        return log

    def _closed_call(self, c: Commission) -> Call:
        """The call the proposals went to, published as an officer would; its
        deadline has passed by the time the award is made."""
        now = timezone.now()
        call = calls.call_publish(
            commission=c,
            user=self._officer(),
            title=f"{c.title}: call for expressions of interest",
            summary="Proposals to meet the need the needs analysis found.",
            eligibility="Organisations working with children and young people.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=14),
        )
        Call.objects.filter(pk=call.pk).update(
            opens_at=now - timedelta(days=35), closes_at=now - timedelta(days=7)
        )
        call.refresh_from_db()
        return call

    def to_approval(self, c: Commission) -> None:
        if self.policy.board_comment_on_drafts == BoardComment.SKIPPED:
            cs.commission_submit_for_approval(commission=c, user=self._officer())
            return
        cs.commission_send_to_board(commission=c, user=self._officer())
        clock.later(days=15)  # the demo's clock only: the board's two weeks
        self._window_passed(c)
        cs.commission_close_board_comment(commission=c, user=self._officer())

    def approve(self, c: Commission) -> None:
        cs.commission_approve(commission=c, user=self.cast.approver)

    def sign(self, c: Commission) -> TransitionLog:
        # The partner signs the agreement and the HLO countersigns (agreements).
        agreements_demo.sign(self.cast, c)
        return TransitionLog.objects.filter(commission=c, action="sign").latest("pk")

    def recommend(self, c: Commission) -> TransitionLog:
        return cs.commission_recommend_decommission(
            commission=c,
            user=self._officer(),
            grounds=DecommissionGrounds.OBJECTIVES_MET,
            reason="Objectives met; the programme now runs without Hub funding.",
        )

    def to_decision(self, c: Commission) -> None:
        if self.policy.board_comment_on_decommission == BoardComment.SKIPPED:
            cs.commission_submit_decommission_for_decision(commission=c, user=self._officer())
            return
        cs.commission_send_decommission_to_board(commission=c, user=self._officer())
        clock.later(days=15)
        self._window_passed(c)
        cs.commission_close_decommission_comment(commission=c, user=self._officer())

    def decide(self, c: Commission) -> TransitionLog:
        decider = self.cast.chair if self.policy.decommission_decided_by == "chair" else None
        return cs.commission_approve_decommission(
            commission=c,
            user=decider or self.cast.approver,
            reason="Agreed: a positive decommissioning.",
        )

    def _window_passed(self, c: Commission) -> None:
        # The demo stands in for the two weeks the board would have had.
        Commission.objects.filter(pk=c.pk).update(
            board_comment_closes_at=timezone.now() - timedelta(minutes=1)
        )
        c.refresh_from_db()

    def run(self) -> None:
        """Every stage's commission, then more live ones and the calls, as
        the hub's story (demo/data/stories.py) tells them."""
        stories.play_hub(
            self,
            self.stages(),
            [self.identify, self.award, self.to_approval, self.approve, self.sign],
        )
        demo_calls(self)

    def stages(self) -> list[tuple[str, list[Callable[[Commission], Any]]]]:
        """Each stage the policy uses, and the steps that take a commission there."""
        drafted = [self.identify, self.award]
        approval = [*drafted, self.to_approval]
        signed = [*approval, self.approve, self.sign]
        recommended = [*signed, self.recommend]
        decided = [*recommended, self.to_decision, self.decide]
        steps: list[tuple[str, list[Callable[[Commission], Any]]]] = [
            ("Need identified", []),
            ("Identifying a partner", [self.identify]),
            ("Drafting the agreement", drafted),
            ("Returned to draft", [*approval, self._return]),
            ("Awaiting approval", approval),
            ("Approved, awaiting signature", [*approval, self.approve]),
            ("Signed by the partner", [*approval, self.approve, self._partner_signs]),
            ("Signed and active", [*signed, self._pay_first_instalment, self._renew]),
            ("Completed", [*signed, self._complete]),
            ("Decommissioning recommended", recommended),
            ("Decommissioning awaiting decision", [*recommended, self.to_decision]),
            ("Decommissioning approved", decided),
            ("Decommissioned", [*decided, self._end]),
            ("Withdrawn", [self.identify, self._withdraw]),
        ]
        if self.policy.board_comment_on_drafts != BoardComment.SKIPPED:
            steps.append(
                ("With the board for comment", [*drafted, self._to_board, self._board_comment])
            )
        if self.policy.board_comment_on_decommission != BoardComment.SKIPPED:
            steps.append(
                ("Decommissioning with the board", [*recommended, self._decommission_to_board])
            )
        if self.policy.immediate_termination_on_safeguarding:
            steps.append(("Terminated for safeguarding", [*signed, self._terminate]))
        return steps

    def _return(self, c: Commission) -> None:
        cs.commission_return_to_draft(
            commission=c,
            user=self.cast.approver,
            reason="Add the payment schedule and the safeguarding lead's name.",
        )

    def _to_board(self, c: Commission) -> None:
        cs.commission_send_to_board(commission=c, user=self._officer())

    def _board_comment(self, c: Commission) -> None:
        agreements_demo.comment(self.cast, c)

    def _partner_signs(self, c: Commission) -> None:
        agreements_demo.partner_signs(self.cast, c)

    def _pay_first_instalment(self, c: Commission) -> None:
        agreements_demo.pay_first_instalment(self.cast, c)

    def _renew(self, c: Commission) -> None:
        agreements_demo.renew(self.cast, c, self._officer())

    def _decommission_to_board(self, c: Commission) -> None:
        cs.commission_send_decommission_to_board(commission=c, user=self._officer())

    def _complete(self, c: Commission) -> TransitionLog:
        """Completion, which the policy allows once the final evaluation is accepted."""
        self._final_evaluation_accepted(c)
        return cs.commission_complete(
            commission=c, user=self._officer(), reason="Final evaluation accepted."
        )

    def _final_evaluation_accepted(self, c: Commission) -> None:
        """The partner writes and submits its final evaluation; the officer accepts it."""
        from demo import monitoring_demo
        from monitoring import services as monitoring
        from monitoring.models import Report, ReportKind

        final = Report.objects.filter(commission=c, kind=ReportKind.FINAL_EVALUATION).first()
        if final is None:
            return
        answers = monitoring_demo.ACCEPTED | {
            "recommendations": "Keep the Saturday group; add a second special school."
        }
        monitoring_demo._write(final, self.cast.contacts[c.partner_id], answers, Decimal(1))
        monitoring.report_accept(
            report=final, user=self._officer(), comments="A full and useful evaluation."
        )

    def _end(self, c: Commission) -> None:
        cs.commission_end_partnership(
            commission=c, user=self._officer(), reason="Final payment made; partnership ended."
        )

    def _withdraw(self, c: Commission) -> None:
        cs.commission_withdraw(
            commission=c,
            user=self._officer(),
            reason="The need is now met by a school partnership.",
        )

    def _terminate(self, c: Commission) -> None:
        cs.commission_terminate_immediately(
            commission=c,
            user=self.cast.chair or self.cast.approver,
            reason="Safeguarding breach reported on 3 March; the chair ended the "
            "partnership at once.",
        )
