"""Run a coroutine to completion from synchronous test code, whatever event loop the thread already has."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as worker:  # a fresh thread has no running loop (Playwright's sync API keeps one)
        return worker.submit(asyncio.run, coroutine).result()
