"""A consortium hub: every commission goes to an open call, which its HLO
enters like any other organisation."""

from __future__ import annotations

from datetime import date

from hubs.models import BoardComment, ReportingCadence

HUB: dict = {
    "slug": "consortium",
    "signing_partner": "countyms",
    "name": "Three Counties Consortium Music Hub",
    "hlo_name": "County Music Service (consortium lead)",
    "area_description": "An unnamed consortium hub of three local authorities",
    "org_id": "GB-LAE-XXX",
    "policy": {
        "title": "Commissioning process",
        "approved_by": "Hub Board",
        "approved_on": date(2025, 3, 1),
        "next_review_on": date(2026, 3, 1),
        "review_arrangements": "Hub Board, annually",
        "approving_body": "Hub Board",
        "board_name": "Hub Board",
        "board_comment_on_drafts": BoardComment.SKIPPED,
        "board_comment_on_decommission": BoardComment.SKIPPED,
        "open_call_required": True,
        "reporting_cadence": ReportingCadence.BOARD_MONITORING,
    },
    "criteria": [
        ("Quality assurance", 30),
        ("Value for money", 25),
        ("Inclusive access", 25),
        ("Sustainability", 20),
    ],
    "areas": [],
    "categories": [],
    "partners": [
        {
            "key": "countyms",
            "name": "County Music Service",
            "organisation_type": "local_authority",
            "is_hlo": True,
            "is_consortium_member": True,
            "is_existing_partner": True,
            "specialisms": ["Ensembles"],
        },
        {
            "key": "northms",
            "name": "North District Music Service",
            "organisation_type": "local_authority",
            "is_consortium_member": True,
            "is_existing_partner": True,
            "specialisms": ["Singing"],
        },
        {
            "key": "earlyyears",
            "name": "Tiny Tunes Early Years",
            "organisation_type": "charity",
            "specialisms": ["Early years"],
            "charity_number": "1100008",
        },
        {
            "key": "mtech",
            "name": "Circuit Music Tech",
            "organisation_type": "company",
            "reach": "national",
            "specialisms": ["Music technology"],
            "company_number": "09000005",
        },
        {
            "key": "uni",
            "name": "Midshire University Music Education",
            "organisation_type": "higher_education",
            "reach": "regional",
            "specialisms": ["Research and evaluation", "Workforce development"],
        },
    ],
    "officer_title": "Commissioning Officer",
}
