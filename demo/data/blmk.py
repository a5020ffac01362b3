"""BLMK: commissions by service area, each with its service lead; responsive
commissioning allowed, with a declaration when a consortium member bids."""

from __future__ import annotations

from datetime import date

from hubs.models import BoardComment, ReportingCadence

HUB: dict = {
    "slug": "blmk",
    "signing_partner": "lutonms",
    "name": "BLMK Music Hub",
    "hlo_name": "BLMK Music Hub Lead Organisation",
    "area_description": "Bedford Borough, Central Bedfordshire, Luton, Milton Keynes",
    "org_id": "GB-LAE-BDF",
    "policy": {
        "title": "BLMK Music Hub Commissioning Policy",
        "approved_by": "BLMK Executive Group",
        "approved_on": date(2024, 9, 1),
        "next_review_on": date(2025, 9, 1),
        "review_arrangements": "Executive Group, before the main commissioning cycle",
        "approving_body": "BLMK Executive Group",
        "board_name": "Oversight Committee",
        "board_comment_on_drafts": BoardComment.SKIPPED,
        "board_comment_on_decommission": BoardComment.SKIPPED,
        "responsive_commissioning_allowed": True,
        "self_commissioning_declaration_required": True,
        "commissioning_by_service_area": True,
        "reporting_cadence": ReportingCadence.PROGRESS_REPORTS,
    },
    "criteria": [
        ("Expertise", 30),
        ("Value for money (benefit per unit cost)", 30),
        ("Alignment with Arts Council England standards", 20),
        ("The Hub's objectives", 20),
    ],
    "areas": [
        ("Bedford Borough", "Bedford Borough Council"),
        ("Central Bedfordshire", "Central Bedfordshire Council"),
        ("Luton", "Luton Borough Council"),
        ("Milton Keynes", "Milton Keynes City Council"),
    ],
    "categories": [],
    "partners": [
        {
            "key": "lutonms",
            "name": "Luton Music Service",
            "organisation_type": "local_authority",
            "is_consortium_member": True,
            "is_existing_partner": True,
            "area": "Luton",
            "specialisms": ["Ensembles"],
        },
        {
            "key": "mkrock",
            "name": "MK Rock School",
            "organisation_type": "company",
            "is_existing_partner": True,
            "area": "Milton Keynes",
            "specialisms": ["Contemporary music"],
            "company_number": "09000003",
        },
        {
            "key": "bedsteel",
            "name": "Bedford Steel Pans",
            "organisation_type": "community",
            "is_existing_partner": True,
            "area": "Bedford Borough",
            "specialisms": ["Non-Western traditions"],
        },
        {
            "key": "cbsing",
            "name": "Central Beds Sings",
            "organisation_type": "charity",
            "area": "Central Bedfordshire",
            "specialisms": ["Singing"],
            "charity_number": "1100003",
        },
        {
            "key": "lutonbeats",
            "name": "Luton Youth Beats",
            "organisation_type": "charity",
            "area": "Luton",
            "specialisms": ["Music technology"],
            "charity_number": "1100004",
        },
    ],
    "officer_title": "Hub Manager",
}
