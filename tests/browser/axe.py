"""axe-core (bundled with axe-playwright-python) against WCAG 2.2 A and AA.

    assert_accessible(page, context="Hertfordshire's policy page on a phone")

fails listing every serious or critical violation on the page as it stands:
the rule, its impact and help, and each offending element's selector, HTML and
what to fix.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
SNIPPET = 160

_axe = Axe()


def run_axe(page: Page, *, best_practice: bool = True, selector: str | None = None) -> list[dict]:
    """axe's violations on the current page (all impacts); `selector` limits
    the check to part of the page."""
    tags = WCAG_TAGS + (["best-practice"] if best_practice else [])
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return _axe.run(page, context=selector, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for number, violation in enumerate(violations, start=1):
        wcag = ", ".join(t for t in violation["tags"] if t.startswith("wcag"))
        lines.append(
            f"{number}. {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"   {wcag} - {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " > ".join(str(t) for t in node["target"])
            html = " ".join(node.get("html", "").split())
            if len(html) > SNIPPET:
                html = html[: SNIPPET - 3] + "..."
            lines.append(f"   - {target}\n     {html}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"     {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


def assert_accessible(
    page: Page,
    *,
    context: str = "",
    impacts: tuple[str, ...] = FAILING_IMPACTS,
    best_practice: bool = True,
    selector: str | None = None,
) -> None:
    """Fail if axe finds a violation of one of `impacts` on the current page.
    `context` names what was checked, for the failure message."""
    found = run_axe(page, best_practice=best_practice, selector=selector)
    failing = [v for v in found if v.get("impact") in impacts]
    if failing:
        where = f"{page.url}" + (f" ({context})" if context else "")
        raise AssertionError(
            f"axe-core found {len(failing)} {' or '.join(impacts)} accessibility "
            f"violation(s) on {where}:\n{describe(failing)}"
        )
