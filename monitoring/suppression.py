"""Small numbers are never shown: a count from 1 to SMALL_NUMBER_MAX could
identify a child (three pupils with SEND at one school), so every display and
export of participant data passes through `suppress`.

Zero is shown (nobody is identified by it); a missing count stays missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SMALL_NUMBER_MAX = 4
SUPPRESSED = "fewer than 5"

# (field on Report, label, group) in the order they are asked and shown.
PARTICIPANT_FIELDS: list[tuple[str, str, str]] = [
    ("participants", "Participants", "Reach"),
    ("schools", "Schools reached", "Reach"),
    ("age_under_5", "Under 5", "Age band"),
    ("age_5_10", "5 to 10", "Age band"),
    ("age_11_15", "11 to 15", "Age band"),
    ("age_16_18", "16 to 18", "Age band"),
    ("age_19_25", "19 to 25 (with SEND)", "Age band"),
    ("send", "With special educational needs (SEND)", "Inclusion"),
    ("pupil_premium", "Pupil premium or free school meals", "Inclusion"),
    ("ethnicity_asian", "Asian or Asian British", "Ethnic group"),
    ("ethnicity_black", "Black, Black British, Caribbean or African", "Ethnic group"),
    ("ethnicity_mixed", "Mixed or multiple", "Ethnic group"),
    ("ethnicity_white", "White", "Ethnic group"),
    ("ethnicity_other", "Other ethnic group", "Ethnic group"),
    ("ethnicity_unknown", "Not known or withheld", "Ethnic group"),
]
PARTICIPANT_FIELD_NAMES = [name for name, _, _ in PARTICIPANT_FIELDS]


def suppress(count: int | None) -> str:
    """A count as it may be shown: '' when missing, 'fewer than 5' when small."""
    if count is None:
        return ""
    if 1 <= count <= SMALL_NUMBER_MAX:
        return SUPPRESSED
    return str(count)


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    group: str
    shown: str


def participant_rows(report) -> list[Row]:
    """The report's participant data, suppressed, for a page or a file."""
    return [
        Row(name, label, group, suppress(getattr(report, name)))
        for name, label, group in PARTICIPANT_FIELDS
    ]


def export_row(report) -> list[str]:
    return [suppress(getattr(report, name)) for name in PARTICIPANT_FIELD_NAMES]


def export_header() -> list[str]:
    return [label for _, label, _ in PARTICIPANT_FIELDS]


def totals(reports: Iterable) -> dict[str, int | None]:
    """Sums over several reports (suppress them before showing)."""
    sums: dict[str, int | None] = dict.fromkeys(PARTICIPANT_FIELD_NAMES)
    for report in reports:
        for name in PARTICIPANT_FIELD_NAMES:
            value = getattr(report, name)
            if value is not None:
                sums[name] = (sums[name] or 0) + value
    return sums
