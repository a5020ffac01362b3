"""Kent & Medway: commissions by service category; board comment is optional."""

from __future__ import annotations

from datetime import date

from hubs.models import BoardComment, ReportingCadence

KENT_CATEGORIES = [
    "Schools (Funded Opportunities)",
    "Out-of-school activities",
    "Project grants",
    "Research",
    "Professional development",
    "Quality assurance visits",
    "Financial assistance",
    "Musical instruments",
]


HUB: dict = {
    "slug": "kent",
    "signing_partner": "medway",
    "name": "Kent & Medway Music Hub",
    "hlo_name": "Kent Music",
    "area_description": "Kent and Medway",
    "org_id": "GB-CHC-1000001",
    "policy": {
        "title": "Commissioning Policy",
        "approved_by": "Board of Kent Music",
        "approved_on": date(2025, 1, 15),
        "next_review_on": date(2026, 1, 15),
        "review_arrangements": "Annually",
        "approving_body": "Board of Kent Music",
        "board_name": "Hub Board (advisory)",
        "board_comment_on_drafts": BoardComment.OPTIONAL,
        "board_comment_on_decommission": BoardComment.OPTIONAL,
        "comment_window_days": 10,
        "uses_service_categories": True,
        "reporting_cadence": ReportingCadence.KPI_REVIEWS,
    },
    "criteria": [
        ("Quality", 30),
        ("Value for money", 25),
        ("Inclusion", 25),
        ("Sustainability", 20),
    ],
    "areas": [],
    "categories": KENT_CATEGORIES,
    # The policy's advisory groups besides the Hub Board, each able to give
    # its view where a decision route asks it.
    "groups": [
        ("Lead Schools Advisory Group", ["board1"]),
        ("Executive Committee", ["board2", "approver"]),
    ],
    "partners": [
        {
            "key": "kentmusic",
            "name": "Kent Music Delivery",
            "organisation_type": "charity",
            "is_hlo": True,
            "is_existing_partner": True,
            "specialisms": ["Ensembles"],
            "charity_number": "1000001",
        },
        {
            "key": "medway",
            "name": "Medway Youth Strings",
            "organisation_type": "community",
            "is_existing_partner": True,
            "specialisms": ["Ensembles"],
        },
        {
            "key": "research",
            "name": "Canterbury Music Research Unit",
            "organisation_type": "higher_education",
            "is_existing_partner": True,
            "reach": "regional",
            "specialisms": ["Research and evaluation"],
        },
        {
            "key": "qa",
            "name": "Jo Fairweather (QA visitor)",
            "organisation_type": "individual",
            "is_existing_partner": True,
            "specialisms": [],
        },
        {
            "key": "coastal",
            "name": "Coastal Rhythms CIC",
            "organisation_type": "company",
            "specialisms": ["Non-Western traditions"],
            "company_number": "09000002",
        },
    ],
    "officer_title": "Head of Hub Programmes",
}
