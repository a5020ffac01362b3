"""Small numbers are suppressed by one function, in every display and export."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from monitoring.suppression import (
    PARTICIPANT_FIELD_NAMES,
    SMALL_NUMBER_MAX,
    SUPPRESSED,
    export_row,
    participant_rows,
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
