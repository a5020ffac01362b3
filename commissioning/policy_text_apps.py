"""The words for the rules other apps register with commissioning's gate
(their AppConfig.ready): named here by their dotted names, as commissioning
never imports them. commissioning.policy_text merges them into DESCRIPTIONS."""

from __future__ import annotations

from collections.abc import Callable

from hubs.models import HubPolicy


def hlo_of(policy: HubPolicy) -> str:
    return policy.hub.hlo_name or "the Hub Lead Organisation"


APP_DESCRIPTIONS: dict[str, Callable[[HubPolicy], object]] = {
    "agreements.rules.commission_needs_agreement": lambda p: (
        "The partnership agreement is drafted, with a payment schedule that adds up to the "
        "Hub Grant."
    ),
    "oversight.rules.award_within_allocation": lambda p: (
        "The award keeps the year's Hub grant commitments within the year's allocation."
        if p.awards_within_allocation
        else None
    ),
    "agreements.rules.agreement_awaits_partner": lambda p: (
        "On the agreement's signing page, once the agreement has been approved and issued."
    ),
    "agreements.rules.partner_signed_first": lambda p: (
        "The partner signs first, and someone other than whoever signed for the partner "
        f"countersigns for {hlo_of(p)}."
    ),
    "agreements.rules.named_signatory": lambda p: (
        "Where the agreement names the HLO's signatory by role, only someone holding that "
        "role countersigns."
    ),
    "agreements.rules.signed_on_its_page": lambda p: (
        "With the signature typed and confirmed on the agreement's signing page."
    ),
    "agreements.joint_rules.co_applicants_signed": lambda p: (
        "In a joint partnership, once every co-applicant has signed for its own part too."
    ),
    "compliance.rules.award_compliance": lambda p: (
        "Where the policy requires compliance records before the award (safeguarding, DBS, "
        "insurance), every partner of the bid holds each, verified by HLO staff and in date."
    ),
    "compliance.rules.signature_compliance": lambda p: (
        "Where the policy requires compliance records before an agreement is signed, the "
        "partner holds each, verified by HLO staff and in date on the day of signing."
    ),
    "procurement.rules.procurement_route_refusal": lambda p: (
        "Where the council's procurement rules are in force, the route taken meets the band "
        "the value falls in (quotes or an open tender), with its evidence; a route less open "
        "than the band needs is a departure, with its reason and the approval of the body "
        "that decides the award."
    ),
    "procurement.rules.standstill_refusal": lambda p: (
        "A contract at or above the Procurement Act threshold is entered into only once its "
        "contract award notice is published and the 8-working-day standstill has run."
    ),
    "monitoring.rules.ending.final_evaluation_refusal": lambda p: (
        "Once the final evaluation of the latest agreement period has been accepted."
    ),
}
