"""Leicestershire: introductory meetings, 50% match funding, academic-year
agreements; the chair decides terminations, at once on safeguarding."""

from __future__ import annotations

from datetime import date

from hubs.models import BoardComment, Decider, ReportingCadence

HUB: dict = {
    "slug": "leics",
    "signing_partner": "leicjazz",
    "name": "Leicestershire Music Hub",
    "hlo_name": "Leicestershire Music",
    "area_description": "Leicester and Leicestershire",
    "org_id": "GB-LAE-LEC",
    "policy": {
        "title": "Partnership Development & Partnership Commissioning Policy V.1",
        "approved_by": "Hub Executive Board Chair",
        "approved_on": date(2023, 8, 1),
        "next_review_on": date(2024, 8, 31),
        "review_arrangements": "Next review date set in the policy",
        "approving_body": "Leicestershire Music (HLO)",
        "board_name": "Leicestershire Music Hub Executive Board",
        "board_comment_on_drafts": BoardComment.SKIPPED,
        "board_comment_on_decommission": BoardComment.SKIPPED,
        "decommission_decided_by": Decider.CHAIR,
        # Not renewing is the chair's final say too (complaints and terminations end there).
        "non_renewal_decided_by": "chair",
        "eoi_for_needs_gaps": True,
        "introductory_meeting_required": True,
        "official_partner_when": "meeting",
        "min_match_funding_percent": 50,
        "agreement_term_months": 12,
        "agreement_term_is_academic_year": True,
        "reporting_cadence": ReportingCadence.TERMLY_SURVEYS,
        "immediate_termination_on_safeguarding": True,
    },
    "criteria": [
        ("Inclusion and quality principles", 35),
        ("Evaluation and impact", 35),
        ("Value for money", 30),
    ],
    "areas": [],
    "categories": [],
    "partners": [
        {
            "key": "charnwood",
            "name": "Charnwood Community Choirs",
            "organisation_type": "charity",
            "is_existing_partner": True,
            "introductory_meeting_on": date(2024, 6, 12),
            "specialisms": ["Singing"],
            "charity_number": "1100005",
        },
        {
            "key": "leicjazz",
            "name": "Leicester Jazz Futures",
            "organisation_type": "charity",
            "introductory_meeting_on": date(2025, 2, 3),
            "specialisms": ["Contemporary music"],
            "charity_number": "1100006",
        },
        {
            "key": "bhangra",
            "name": "Bhangra Beats Leicester",
            "organisation_type": "community",
            "introductory_meeting_on": date(2025, 3, 10),
            "specialisms": ["Non-Western traditions"],
        },
        {
            "key": "newco",
            "name": "Soar Valley Sound Ltd",
            "organisation_type": "company",
            "specialisms": ["Music technology"],
            "company_number": "09000004",
        },
        {
            "key": "sendleics",
            "name": "Inclusive Music Leicester",
            "organisation_type": "charity",
            "is_existing_partner": True,
            "introductory_meeting_on": date(2023, 11, 20),
            "specialisms": ["SEND"],
            "charity_number": "1100007",
        },
    ],
    "officer_title": "Service Manager",
}
