"""Every metric a Grafana panel queries exists in the real /metrics output of the running processes."""

import json
import re
from pathlib import Path

import httpx

from veche_dev import devstack

OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"
METRIC = re.compile(r"\b(veche_[a-z0-9_]+)")
HISTOGRAM_SUFFIX = re.compile(r"_(bucket|count|sum)$")
# Owned by the voting engineer (services/voting/veche_voting/metrics.py, not in this branch yet). They may be
# missing only while the voting service exposes none of them; once it exposes one, all are required.
PENDING_VOTING_METRICS = frozenset(
    {
        "veche_votes_accepted_total",
        "veche_votes_refused_total",
        "veche_ledger_publish_seconds",
        "veche_votes_idempotent_retries_total",
        "veche_votes_annulled_total",
    }
)


def queried_metrics() -> set[str]:
    names: set[str] = set()
    for board in OBSERVABILITY.glob("grafana-*.json"):
        for panel in json.loads(board.read_text())["panels"]:
            for target in panel.get("targets", []):
                names.update(HISTOGRAM_SUFFIX.sub("", name) for name in METRIC.findall(target["expr"]))
    return names


def exposed_metrics(platform: devstack.Platform) -> set[str]:
    """Names with a HELP line: labelled metrics are described even before their first sample."""
    names: set[str] = set()
    for module in platform.ports:
        text = httpx.get(platform.metrics_url(module), timeout=10).text
        names.update(re.findall(r"^# HELP (\S+)", text, flags=re.MULTILINE))
    return names


def test_every_dashboard_metric_is_exposed(platform: devstack.Platform) -> None:
    queried, exposed = queried_metrics(), exposed_metrics(platform)
    assert len(queried) >= 15, "the dashboards query fewer metrics than expected: is the regex still right?"
    missing = queried - exposed
    if not PENDING_VOTING_METRICS & exposed:
        missing -= PENDING_VOTING_METRICS
    assert not missing, f"dashboard panels query metrics no process exposes: {sorted(missing)}"
