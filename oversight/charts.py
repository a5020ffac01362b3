"""Bar charts as plain SVG, laid out here and drawn by a template.

No JavaScript and no style attributes (the CSP forbids them): sizes are SVG
attributes, colours come from classes in app.css. Every chart is shown with
its numbers in a table, so nothing is only in the picture.

The SVG has no viewBox, so it is never scaled: its text is drawn at the page's
own font size (1rem, from app.css) on a phone as on a desktop, where a scaled
740-unit drawing shrank its labels to about 5px on a 320px screen. Each row is
its label (wrapped to two lines) above a bar whose length is a percentage of
the chart's width, with the value just after the bar's end."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from decimal import Decimal

LINE = 20  # height of one line of label text, in CSS pixels (the text is 1rem)
BAR = 18  # height of a bar
GAP = 12  # space after a row
LABEL_CHARS = 30  # characters on a label line; about 270px, a 320px screen's content
LABEL_LINES = 2
BAR_SHARE = 68  # percent of the width the longest bar takes; the value fits after it


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    shown: str  # the value as written beside the bar and in the table
    lines: tuple[tuple[str, int], ...]  # the label's lines and the baseline of each
    y: int  # the bar's top
    percent: str  # the bar's length, as a share of the chart's width ("42.5%")
    value_x: str  # where the value starts, just after the bar's end
    text_y: int  # the value's baseline, level with the bar
    extra: str = ""  # a class for a second colour (e.g. over budget)


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)
    height: int = 0


def _label_lines(label: str) -> list[str]:
    """The label in at most LABEL_LINES lines (the table has it in full)."""
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        kept = lines[: LABEL_LINES - 1]
        rest = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*kept, rest[: LABEL_CHARS - 1].rstrip() + "…"]
    return lines


def bar_chart(
    slug: str,
    title: str,
    rows: list[tuple[str, Decimal | int]],
    *,
    value_heading: str = "Number",
    money: bool = False,
    description: str = "",
    scale_to: Decimal | int | None = None,
) -> Chart:
    """`rows` are (label, value). Bars are scaled to the largest value, or to
    `scale_to` (e.g. the year's allocation) when that is larger."""
    top = max([value for _, value in rows] + [scale_to or 0, 1])
    bars = []
    y = 0
    for label, value in rows:
        shown = f"£{value:,.0f}" if money else f"{value:,}"
        share = Decimal(BAR_SHARE) * Decimal(value) / Decimal(top) if value > 0 else Decimal(0)
        if value and share < Decimal("0.5"):
            share = Decimal("0.5")  # a small value still shows as a sliver
        lines = _label_lines(label)
        placed = tuple((text, y + LINE * (n + 1) - 5) for n, text in enumerate(lines))
        bar_y = y + LINE * len(lines) + 2
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                lines=placed,
                y=bar_y,
                percent=f"{share:.1f}%",
                value_x=f"{share + 1:.1f}%",
                text_y=bar_y + BAR - 4,
            )
        )
        y = bar_y + BAR + GAP
    return Chart(slug, title, description or title, value_heading, bars, height=max(y, LINE))
