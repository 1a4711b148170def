"""axe-core in the page under test: the serious and critical accessibility violations a page must not have."""

from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
SHOWN = 25
RUN = """async ([include, exclude]) => {
  const context = include.length ? {include, exclude} : {exclude};
  const found = await axe.run(context, {resultTypes: ["violations"]});
  return found.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary.replaceAll("\\n", " "))}));
}"""


@cache
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test-tools` (npm ci in tests/axe)", pytrace=False)
    return AXE.read_text()


def axe_violations(page: Page, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[str]:
    """The blocking violations on the page as it is now, one line per rule and element.

    The script goes in through DevTools (not a <script> element), so the pages' strict CSP does not refuse it."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate("() => {" + axe_source() + "\n}")
    found = page.evaluate(RUN, [list(include), list(exclude)])
    return [
        f"{rule['impact']} {rule['id']} ({rule['help']}): {node}"
        for rule in found
        if rule["impact"] in BLOCKING
        for node in rule["nodes"]
    ]


def assert_accessible(page: Page, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> None:
    """No serious or critical axe-core violation in the page (or in the `include` selectors of it)."""
    violations = axe_violations(page, include, exclude)
    shown = violations[:SHOWN] + ([f"... and {len(violations) - SHOWN} more"] if len(violations) > SHOWN else [])
    assert not violations, f"{page.url}:\n" + "\n".join(shown)
