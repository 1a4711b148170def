"""The Prometheus config and alert rules in deploy/observability pass promtool's checks and unit tests."""

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.skip("promtool missing: apt-get install prometheus (make up OBS=1 does it)")
    return subprocess.run([tool, *args], cwd=OBSERVABILITY, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    "args",
    [("check", "rules", "alerts.yml"), ("check", "config", "prometheus.yml"), ("test", "rules", "alerts_test.yml")],
)
def test_promtool_accepts(args: tuple[str, ...]) -> None:
    answer = promtool(*args)
    assert answer.returncode == 0, answer.stdout + answer.stderr
