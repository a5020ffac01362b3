"""Bar charts as plain SVG, laid out here and drawn by a template.

No JavaScript and no style attributes (the CSP forbids them): sizes are SVG
attributes, colours come from classes in app.css. Every chart is shown with
its numbers in a table, so nothing is only in the picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ROW = 28  # height of one bar's row
LABEL_WIDTH = 260
BAR_WIDTH = 360
VALUE_WIDTH = 120


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    shown: str  # the value as written beside the bar and in the table
    y: int
    width: int
    text_y: int
    extra: str = ""  # a class for a second colour (e.g. over budget)

    @property
    def short(self) -> str:
        """The label as it fits beside the bar (the table has it in full)."""
        return self.label if len(self.label) <= 34 else self.label[:33] + "…"


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW + 8

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + 8


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
    for n, (label, value) in enumerate(rows):
        shown = f"£{value:,.0f}" if money else f"{value:,}"
        width = int(BAR_WIDTH * value / top) if value > 0 else 0
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                y=n * ROW + 4,
                width=max(width, 2 if value else 0),
                text_y=n * ROW + 22,
            )
        )
    return Chart(slug, title, description or title, value_heading, bars)
