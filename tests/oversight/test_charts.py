"""The oversight charts' layout (oversight/charts.py): unscaled SVG whose
labels keep the page's font size on a phone."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string

from oversight.charts import BAR_SHARE, LABEL_CHARS, LABEL_LINES, bar_chart


def test_bars_are_shares_of_the_largest_value_or_the_allocation():
    chart = bar_chart("money", "Hub grant", [("Committed", 300), ("Paid", 150)])
    assert [b.percent for b in chart.bars] == [f"{BAR_SHARE:.1f}%", f"{BAR_SHARE / 2:.1f}%"]
    scaled = bar_chart("money", "Hub grant", [("Committed", Decimal(300))], scale_to=600)
    assert scaled.bars[0].percent == f"{BAR_SHARE / 2:.1f}%"


def test_a_zero_has_no_bar_and_a_tiny_value_still_shows():
    chart = bar_chart("n", "Numbers", [("None", 0), ("Tiny", 1), ("Huge", 100_000)])
    assert chart.bars[0].percent == "0.0%"
    assert chart.bars[1].percent == "0.5%"


def test_long_labels_wrap_to_two_short_lines_and_the_rows_do_not_overlap():
    long = "Partnerships with special schools and alternative provision across the county"
    chart = bar_chart("types", "Types", [(long, 3), ("Short", 1)])
    first, second = chart.bars
    texts = [text for text, _ in first.lines]
    assert len(texts) == LABEL_LINES
    assert all(len(text) <= LABEL_CHARS for text in texts)
    assert texts[-1].endswith("…")
    assert first.label == long, "the table keeps the whole label"
    assert first.lines[0][1] < first.lines[1][1] < first.y < first.text_y
    assert first.text_y < second.lines[0][1] < second.y
    assert chart.height > second.y


def test_the_drawing_is_never_scaled():
    """No viewBox: a scaled drawing shrank 14px labels to 5px at 320px."""
    chart = bar_chart("stages", "Commissions by stage", [("Drafting the agreement", 4)])
    html = render_to_string("oversight/_bar_chart.html", {"chart": chart})
    assert "viewBox" not in html
    assert 'width="100%"' in html and f'height="{chart.height}"' in html
    assert "<tspan" in html and "Drafting the agreement" in html
