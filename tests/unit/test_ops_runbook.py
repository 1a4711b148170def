"""Every runbook section the console's operations view links to (web/admin/ops_health.js, RUNBOOK) is a heading of
docs/operations.md, by the anchor GitHub and most Markdown renderers make of it."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from veche_gateway.settings import GatewaySettings

ROOT = Path(__file__).resolve().parents[2]
VIEW = ROOT / "gateway" / "veche_gateway" / "web" / "admin" / "ops_health.js"
RUNBOOK = ROOT / "docs" / "operations.md"


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_anchor_follows_githubs_rule() -> None:
    assert anchor("Leaderboards lag behind the ledger") == "leaderboards-lag-behind-the-ledger"
    assert anchor("The operations view (/ops)") == "the-operations-view-ops"


def test_every_section_the_view_links_to_exists() -> None:
    block = re.search(r"export const RUNBOOK = \{(.*?)\};", VIEW.read_text(), re.S)
    assert block, "RUNBOOK is not in ops_health.js any more"
    linked = re.findall(r'"([a-z0-9-]+)"', block.group(1))
    headings = {anchor(line.lstrip("#")) for line in RUNBOOK.read_text().splitlines() if line.startswith("### ")}
    assert len(linked) >= 6
    assert sorted(set(linked) - headings) == []


def test_the_views_links_are_addresses_or_none() -> None:
    empty = GatewaySettings(environment="dev", grafana_url="", runbook_url="")  # compose's ${VAR:-} when unset
    assert (empty.grafana_url, empty.runbook_url) == (None, None)
    set_ = GatewaySettings(
        environment="dev", grafana_url="https://g.example/d/veche-overview", runbook_url="https://d.example/ops.md"
    )
    assert set_.grafana_url == "https://g.example/d/veche-overview"
    for bad in ({"grafana_url": "javascript:alert(1)"}, {"runbook_url": "https://d.example/ops.md#section"}):
        with pytest.raises(ValidationError):
            GatewaySettings.model_validate({"environment": "dev", **bad})
