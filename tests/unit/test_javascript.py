"""The pages' JavaScript logic (tests/js: the content-text pick, plurals, rank news, the chart's intervals, the API
wrapper) under node's own test runner, so that `make test` stays the one command for every language."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_javascript_units_pass() -> None:
    node = shutil.which("node")
    assert node, "node is needed for the JavaScript tests (make test-tools)"
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests" / "js").glob("*.test.js"))
    assert files, "no JavaScript tests found in tests/js"
    done = subprocess.run([node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# pass 0" not in done.stdout, done.stdout[-2000:]
