"""`veche up --obs` starts Prometheus with the repository's scrape config and alert rules."""

from pathlib import Path

import httpx

from veche_dev import devstack
from veche_dev.eventually import eventually_sync
from veche_dev.observability import start_prometheus


def scrape_targets(port: int) -> set[str]:
    """Services Prometheus scrapes, once its target discovery has run (right after start it knows none)."""

    def scraped() -> set[str]:
        targets = httpx.get(f"http://127.0.0.1:{port}/api/v1/targets", timeout=10).json()
        return {t["labels"]["service"] for t in targets["data"]["activeTargets"]}

    return eventually_sync(scraped, what="scrape targets", timeout=10)


def test_prometheus_starts_with_config_and_rules(tmp_path: Path) -> None:
    port = devstack.free_port()
    process = start_prometheus(devstack.project_root(), tmp_path, port)
    try:
        rules = httpx.get(f"http://127.0.0.1:{port}/api/v1/rules", timeout=10).json()
        names = {rule["name"] for group in rules["data"]["groups"] for rule in group["rules"]}
        assert {"ServiceDown", "ProjectorLagging", "VoteLatencySloBurn", "DeadLetters"} <= names
        assert scrape_targets(port) == {"gateway", "submissions", "voting", "results"}
    finally:
        process.stop()
