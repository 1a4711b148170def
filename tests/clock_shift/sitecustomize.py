"""The calendar guard of `make test`: every Python process started with this folder on PYTHONPATH (pytest and
the services and commands the tests spawn) sees its wall clock moved VECHE_TEST_CLOCK_SHIFT_DAYS ahead.

Python imports `sitecustomize` at start-up, so the shift reaches spawned processes without any code of theirs.
time-machine moves the wall clock (`time.time`, `datetime.now`, ...) and leaves `time.monotonic` alone, so
timeouts and the event loop are unaffected. nats-server, the database and the OpenID provider keep the real
clock: each Python process moves by the same offset from the real now, so Python processes agree with each
other, and what crosses to a server (message ages, KV TTLs, certificate windows) is relative or spans both.
"""

import os
from datetime import UTC, datetime, timedelta

days = os.environ.get("VECHE_TEST_CLOCK_SHIFT_DAYS", "")
if days:
    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True).start()
