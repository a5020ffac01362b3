"""What participant data may be shown, on every page and in every file.

Every display and export of participant counts (a report's page, the export
of accepted reports, the hub's summary for Arts Council England) goes
through this module, so one rule holds everywhere:

1. Small numbers. A count from 1 to SMALL_NUMBER_MAX could identify a child
   (three pupils with SEND at one school): it is shown as "fewer than 5".
   Zero is shown (nobody is identified by it); a missing count stays missing.

2. No working it out from the others. Some figures add up to a figure shown
   beside them (GROUPS: a report's age bands, and its ethnic groups, each
   add up to its Participants). Participants 23 with age bands 0, fewer than
   5, 20, 0, 0 would give the hidden band away (23 - 20 = 3), so a second
   figure of the group is held back too: the smallest figure above zero
   still shown, marked "held back" (the group's total when no figure is left
   to hold back). This repeats until no hidden figure can be pinned down,
   knowing also that "fewer than 5" means 1 to 4 and "held back" means 5 or
   more (a group showing 6 with "fewer than 5" and "held back" would give
   away 1 and 5). Missing figures count as 0 here, as a reader would take
   them.

3. Across files. The hub's summary gives, per academic year, totals over each
   partnership's latest accepted report, which the export of reports lists
   one by one. Each summary total is therefore the total of a group made of
   those reports' figures (as they are shown there), and the summary's own
   figures form the groups of rule 2. A summary total that would pin down a
   figure hidden in the export of reports is held back, and rule 2 then holds
   the summary's other figures back as it needs.

"Pinned down" is decided by narrowing each hidden figure's possible range
with every group it belongs to, in turn, until nothing narrows further
(`_ranges`); a hidden figure whose range is one number is pinned down.

Every CSV file the app writes (these and the others) goes out through
`csv_rows`, whose `safe_cell` keeps a spreadsheet from running a cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from io import StringIO

SMALL_NUMBER_MAX = 4
SUPPRESSED = "fewer than 5"
HELD_BACK = "held back"
SMALL, HELD = "small", "held"  # why a figure is hidden
UNBOUNDED = 10**12  # a held-back figure has no upper limit a reader knows of

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

# (total, the figures that add up to it): the sums a reader can check.
Group = tuple[str, tuple[str, ...]]
GROUPS: list[Group] = [
    ("participants", tuple(n for n, _, g in PARTICIPANT_FIELDS if g == "Age band")),
    ("participants", tuple(n for n, _, g in PARTICIPANT_FIELDS if g == "Ethnic group")),
]


def is_small(count: int | None) -> bool:
    return count is not None and 1 <= count <= SMALL_NUMBER_MAX


def suppress(count: int | None) -> str:
    """A count on its own as it may be shown: '' when missing, 'fewer than 5'
    when small. Figures that belong to a group go through `protect`."""
    if count is None:
        return ""
    return SUPPRESSED if is_small(count) else str(count)


def shown(count: int | None, why: str | None) -> str:
    """A count as shown, given why (if at all) `protect` hid it."""
    if why == SMALL:
        return SUPPRESSED
    if why == HELD:
        return HELD_BACK
    return "" if count is None else str(count)


# ── rule 2: complementary suppression ────────────────────────────────────────


def _bounds(count: int | None, why: str | None) -> tuple[int, int]:
    """What a reader knows of a figure from what is shown."""
    if why == SMALL:
        return 1, SMALL_NUMBER_MAX
    if why == HELD:
        return SMALL_NUMBER_MAX + 1, UNBOUNDED
    return (count or 0), (count or 0)


def _ranges(
    counts: Mapping[str, int | None], hidden: Mapping[str, str], groups: Sequence[Group]
) -> dict[str, tuple[int, int]]:
    """Each hidden figure's possible range, narrowed by every group's sum."""
    box = {name: _bounds(counts[name], hidden[name]) for name in hidden}
    known = {name: _bounds(count, None) for name, count in counts.items() if name not in hidden}
    for _ in range(2 * len(groups) + 2):  # narrowing settles within a few passes
        narrowed = False
        for total, parts in groups:
            if counts[total] is None or not any(n in hidden for n in (total, *parts)):
                continue
            terms = [(total, -1), *((part, 1) for part in parts)]  # parts - total = 0
            spans = [(n, s, box.get(n) or known[n]) for n, s in terms]
            low = sum(min(s * lo, s * hi) for _, s, (lo, hi) in spans)
            high = sum(max(s * lo, s * hi) for _, s, (lo, hi) in spans)
            for name, sign, (lo, hi) in spans:
                if name not in box:
                    continue
                rest_low = low - min(sign * lo, sign * hi)
                rest_high = high - max(sign * lo, sign * hi)
                # sign * x = -(the rest)
                new_lo, new_hi = (-rest_high, -rest_low) if sign == 1 else (rest_low, rest_high)
                new = (max(lo, new_lo), min(hi, new_hi))
                if new != (lo, hi) and new[0] <= new[1]:  # inconsistent figures narrow nothing
                    box[name] = new
                    narrowed = True
        if not narrowed:
            break
    return box


def _next_to_hold_back(
    counts: Mapping[str, int | None],
    hidden: Mapping[str, str],
    groups: Sequence[Group],
    pinned: set[str],
    fixed: Iterable[str],
) -> str | None:
    """The smallest figure above zero still shown in a group that pins a
    hidden figure down; that group's total when none is left."""
    fixed = set(fixed)

    def open_(name: str) -> bool:
        return name not in hidden and name not in fixed and (counts[name] or 0) > 0

    for total, parts in groups:
        if counts[total] is None or not pinned & {total, *parts}:
            continue
        candidates = [part for part in parts if open_(part)]
        if candidates:
            return min(candidates, key=lambda part: counts[part])
        if open_(total):
            return total
    return None


def protect(
    counts: Mapping[str, int | None],
    groups: Sequence[Group] = GROUPS,
    decided: Mapping[str, str | None] | None = None,
) -> dict[str, str | None]:
    """Why each figure is hidden (SMALL, HELD) or None when it is shown.
    `decided` holds figures already shown elsewhere, as they were shown: they
    cannot change, so only the others are held back."""
    decided = decided or {}
    hidden = {n: why for n, why in decided.items() if why}
    hidden |= {n: SMALL for n, c in counts.items() if n not in decided and is_small(c)}
    for _ in range(len(counts)):
        box = _ranges(counts, hidden, groups)
        pinned = {name for name, (lo, hi) in box.items() if lo == hi}
        extra = _next_to_hold_back(counts, hidden, groups, pinned, decided) if pinned else None
        if extra is None:
            break
        hidden[extra] = HELD
    return {name: hidden.get(name) for name in counts}


# ── one report ───────────────────────────────────────────────────────────────


def report_counts(report) -> dict[str, int | None]:
    return {name: getattr(report, name) for name in PARTICIPANT_FIELD_NAMES}


def report_hidden(report) -> dict[str, str | None]:
    return protect(report_counts(report))


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    group: str
    shown: str


def participant_rows(report) -> list[Row]:
    """The report's participant data, suppressed, for a page or a file."""
    counts, hidden = report_counts(report), report_hidden(report)
    return [
        Row(name, label, group, shown(counts[name], hidden[name]))
        for name, label, group in PARTICIPANT_FIELDS
    ]


def export_row(report) -> list[str]:
    return [row.shown for row in participant_rows(report)]


def export_header() -> list[str]:
    return [label for _, label, _ in PARTICIPANT_FIELDS]


# ── several reports: the hub's summary ───────────────────────────────────────


def totals(reports: Iterable) -> dict[str, int | None]:
    """Sums over several reports (pass them through `summary` to show them)."""
    sums: dict[str, int | None] = dict.fromkeys(PARTICIPANT_FIELD_NAMES)
    for report in reports:
        for name in PARTICIPANT_FIELD_NAMES:
            value = getattr(report, name)
            if value is not None:
                sums[name] = (sums[name] or 0) + value
    return sums


def summary(reports: Sequence) -> dict[str, str]:
    """The totals of several reports as they may be shown beside those
    reports' own figures (rule 3): field name to what is shown."""
    sums = totals(reports)
    counts: dict[str, int | None] = {f"hub:{name}": sums[name] for name in sums}
    decided: dict[str, str | None] = {}
    groups: list[Group] = [(f"hub:{t}", tuple(f"hub:{p}" for p in parts)) for t, parts in GROUPS]
    for n, report in enumerate(reports):
        own = report_counts(report)
        counts |= {f"{n}:{name}": count for name, count in own.items()}
        decided |= {f"{n}:{name}": why for name, why in protect(own).items()}
        groups += [(f"{n}:{t}", tuple(f"{n}:{p}" for p in parts)) for t, parts in GROUPS]
    for name in PARTICIPANT_FIELD_NAMES:
        groups.append((f"hub:{name}", tuple(f"{n}:{name}" for n in range(len(reports)))))
    hidden = protect(counts, groups, decided)
    return {name: shown(sums[name], hidden[f"hub:{name}"]) for name in PARTICIPANT_FIELD_NAMES}


# ── files ────────────────────────────────────────────────────────────────────

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell a spreadsheet would run as a formula, made inert with a
    leading apostrophe. Every CSV the app writes passes through here."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV text, a line at a time (for a streamed response or a file), every
    cell through `safe_cell`."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
