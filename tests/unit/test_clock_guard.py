"""The calendar guard of `make test` is real: under it, this process and the processes it starts see the moved
clock (tests/clock_shift/sitecustomize.py). Outside the guard there is nothing to check."""

import os
import subprocess
import sys
import time

import pytest
import time_machine

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(not os.environ.get("VECHE_TEST_CLOCK_SHIFT_DAYS"), reason="only under the moved clock"),
]


def test_this_process_and_the_processes_it_starts_see_the_moved_clock() -> None:
    shift = int(os.environ["VECHE_TEST_CLOCK_SHIFT_DAYS"]) * 86400
    real = time_machine.escape_hatch.time.time()
    assert time.time() - real == pytest.approx(shift, abs=3600)
    child = subprocess.run([sys.executable, "-c", "import time; print(time.time())"], capture_output=True, check=True)
    assert float(child.stdout) - real == pytest.approx(shift, abs=3600)
