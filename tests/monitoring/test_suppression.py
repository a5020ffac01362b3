"""Small numbers, and figures that would give them away, are hidden by one
module in every display and export; so are spreadsheet formulas in CSV cells."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from monitoring.suppression import (
    HELD,
    HELD_BACK,
    PARTICIPANT_FIELD_NAMES,
    SMALL,
    SMALL_NUMBER_MAX,
    SUPPRESSED,
    csv_rows,
    export_row,
    participant_rows,
    protect,
    safe_cell,
    summary,
    suppress,
    totals,
)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(None, ""), (0, "0"), (1, SUPPRESSED), (4, SUPPRESSED), (5, "5"), (1234, "1234")],
)
def test_it_suppresses_one_to_four(count, shown):
    assert suppress(count) == shown


def test_the_threshold_is_a_named_constant():
    assert SMALL_NUMBER_MAX == 4
    assert suppress(SMALL_NUMBER_MAX) == SUPPRESSED
    assert suppress(SMALL_NUMBER_MAX + 1) == str(SMALL_NUMBER_MAX + 1)


def _report(**counts):
    return SimpleNamespace(**(dict.fromkeys(PARTICIPANT_FIELD_NAMES) | counts))


def test_rows_and_exports_never_carry_a_small_number():
    report = _report(participants=37, send=3, pupil_premium=0, ethnicity_black=2)
    shown = {row.name: row.shown for row in participant_rows(report)}
    assert shown["participants"] == "37"
    assert shown["send"] == SUPPRESSED
    assert shown["pupil_premium"] == "0"
    assert shown["ethnicity_black"] == SUPPRESSED
    assert shown["schools"] == ""
    row = export_row(report)
    assert "3" not in row and "2" not in row and row.count(SUPPRESSED) == 2


def test_totals_add_before_suppressing():
    sums = totals([_report(send=3), _report(send=3), _report()])
    assert sums["send"] == 6 and suppress(sums["send"]) == "6"
    assert sums["participants"] is None


AGES = ["age_under_5", "age_5_10", "age_11_15", "age_16_18", "age_19_25"]


def _ages(report) -> list[str]:
    shown = {row.name: row.shown for row in participant_rows(report)}
    return [shown[name] for name in AGES]


def test_a_lone_hidden_band_takes_the_next_smallest_with_it():
    # The audit's page: Participants 23, bands 0, fewer than 5, 20, 0, 0 gave 3 away.
    report = _report(participants=23, age_under_5=0, age_5_10=3, age_11_15=20, age_16_18=0)
    assert _ages(report) == ["0", SUPPRESSED, HELD_BACK, "0", ""]
    assert export_row(report)[0] == "23"  # the total stays shown
    report = _report(participants=60, age_5_10=3, age_11_15=20, age_16_18=37)
    assert _ages(report) == ["", SUPPRESSED, HELD_BACK, "37", ""]  # 20 is the smaller


def test_two_small_bands_protect_each_other():
    report = _report(participants=27, age_5_10=3, age_11_15=2, age_16_18=22)
    assert _ages(report) == ["", SUPPRESSED, SUPPRESSED, "22", ""]


def test_what_the_marks_mean_cannot_pin_a_figure_down():
    # 6 = "fewer than 5" + "held back" would mean 1 + 5: a third figure goes too.
    report = _report(participants=36, age_under_5=1, age_5_10=5, age_11_15=30)
    assert _ages(report) == [SUPPRESSED, HELD_BACK, HELD_BACK, "", ""]
    # Two small bands that make 2 can only be 1 and 1.
    report = _report(participants=12, age_under_5=1, age_5_10=1, age_11_15=10)
    assert _ages(report)[:3] == [SUPPRESSED, SUPPRESSED, HELD_BACK]


def test_with_nothing_else_to_hold_back_the_total_goes():
    hidden = protect({"t": 7, "a": 3, "b": 4, "c": 0}, [("t", ("a", "b", "c"))])
    assert hidden == {"t": None, "a": SMALL, "b": SMALL, "c": None}
    hidden = protect({"t": 8, "a": 4, "b": 4}, [("t", ("a", "b"))])  # 8 = 4 + 4
    assert hidden == {"t": HELD, "a": SMALL, "b": SMALL}


def test_a_summary_total_that_would_give_a_reports_figure_away_is_held_back():
    first = _report(participants=120, send=12, schools=7)
    second = _report(participants=30, send=3, schools=0)
    shown = summary([first, second])
    assert shown["participants"] == "150"
    assert shown["schools"] == "7"
    assert shown["send"] == HELD_BACK  # 15 - 12 would be the hidden 3
    both_small = summary([_report(send=3), _report(send=2), _report(send=10)])
    assert both_small["send"] == "15"  # 15 - 10 = 5 leaves 3 + 2 open (1 + 4, 2 + 3 ...)


def test_a_held_back_summary_band_takes_another_band_with_it():
    first = _report(participants=23, age_5_10=3, age_11_15=20)
    second = _report(participants=30, age_5_10=7, age_11_15=23)
    shown = summary([first, second])
    assert shown["participants"] == "53"
    assert (shown["age_5_10"], shown["age_11_15"]) == (HELD_BACK, HELD_BACK)


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_made_inert(cell):
    assert safe_cell(cell) == "'" + cell
    assert next(csv_rows([[cell]])).lstrip('"').startswith("'")


def test_other_cells_are_left_as_they_are():
    assert [safe_cell(v) for v in ("Kent", "", 12, -3, None)] == ["Kent", "", 12, -3, None]
