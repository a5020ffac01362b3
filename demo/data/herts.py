"""Hertfordshire: existing partners first; the board comments on every draft
and every decommissioning before the HMS Executive Leadership Team decides."""

from __future__ import annotations

from datetime import date

from hubs.models import BoardComment, ReportingCadence

HERTS_PRINCIPLES = [
    ("Strategic functions", 15),
    ("Need", 15),
    ("Musical excellence", 15),
    ("Inclusion", 15),
    ("Promotion and collaboration", 10),
    ("Value for money", 10),
    ("Sustainability", 10),
    ("Transparency and fairness", 10),
]


HUB: dict = {
    "slug": "herts",
    "signing_partner": "soundwaves",
    "name": "Hertfordshire Music Hub",
    "hlo_name": "Hertfordshire Music Service (HMS)",
    "area_description": "Hertfordshire",
    "org_id": "GB-LAE-HRT",
    "policy": {
        "title": "Commissioning Policy v1.2",
        "approved_by": "Hub board",
        "approved_on": date(2024, 9, 18),
        "next_review_on": date(2026, 3, 20),
        "review_arrangements": "Spring term Hub board meeting",
        "approving_body": "HMS Executive Leadership Team",
        "board_name": "Hertfordshire Music Hub board",
        "board_comment_on_drafts": BoardComment.REQUIRED,
        "board_comment_on_decommission": BoardComment.REQUIRED,
        "comment_window_days": 14,
        "existing_partners_first": True,
        "reporting_cadence": ReportingCadence.PROGRESS_REPORTS,
    },
    "criteria": HERTS_PRINCIPLES,
    "areas": [],
    "categories": [],
    "partners": [
        {
            "key": "hms",
            "name": "HMS Delivery Team",
            "organisation_type": "local_authority",
            "is_hlo": True,
            "is_existing_partner": True,
            "specialisms": ["Ensembles"],
        },
        {
            "key": "soundwaves",
            "name": "Soundwaves SEND Music",
            "organisation_type": "charity",
            "is_existing_partner": True,
            "specialisms": ["SEND"],
            "charity_number": "1100001",
        },
        {
            "key": "beats",
            "name": "Beats Academy Herts",
            "organisation_type": "company",
            "is_existing_partner": True,
            "specialisms": ["Music technology"],
            "company_number": "09000001",
        },
        {
            "key": "tabla",
            "name": "Tabla & Tala Collective",
            "organisation_type": "community",
            "specialisms": ["Non-Western traditions"],
        },
        {
            "key": "early",
            "name": "Little Notes Early Years",
            "organisation_type": "charity",
            "is_existing_partner": True,
            "specialisms": ["Early years"],
            "charity_number": "1100002",
        },
    ],
    "officer_title": "Director of Music",
}
