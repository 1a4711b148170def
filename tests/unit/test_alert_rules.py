"""The alert rules are valid and fire (and stay quiet) as their unit tests say, checked by promtool."""

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[2] / "deploy" / "observability"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    if binary is None:
        pytest.fail("promtool is missing: run `make install` (Debian package prometheus)", pytrace=False)
    return subprocess.run([binary, *args], cwd=HERE, capture_output=True, text=True, timeout=60, check=False)


def test_prometheus_config_and_rules_are_valid() -> None:
    checked = promtool("check", "config", "prometheus.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_alerts_fire_as_specified() -> None:
    tested = promtool("test", "rules", "alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
