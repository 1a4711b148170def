"""Wait for something asynchronous to become true: the one polling helper of the tests.

Services converge (a projector applies a batch, a follower reads CATALOG), so a test polls a probe until a
condition holds. The deadline only bounds a failure; a passing test waits as long as the system takes, no more.
A failure names what was awaited and shows the last value (or the last exception) the probe gave.
"""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
INTERVAL = 0.05


def truthy(value: object) -> bool:
    return bool(value)


class _Wait(Generic[T]):
    """One wait: its condition, deadline and last answer, shared by the async and the blocking form."""

    def __init__(self, until: Callable[[T], bool], what: str, timeout: float, ignoring: tuple[type[Exception], ...]):
        self.until, self.what, self.timeout, self.ignoring = until, what, timeout, ignoring
        self.deadline = time.monotonic() + timeout
        self.last: Any = "no answer yet"

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """An exception of an ignored type means "not yet": remember it and try again."""
        try:
            yield
        except self.ignoring as exc:
            self.last = exc

    def holds(self, value: T) -> bool:
        self.last = value
        return self.until(value)

    def pause(self, interval: float) -> float:
        if time.monotonic() > self.deadline:
            raise AssertionError(f"never saw {self.what} within {self.timeout:g} s; last: {self.last!r}")
        return interval


@overload
async def eventually(
    probe: Callable[[], Awaitable[T]],
    until: Callable[[T], bool] = truthy,
    *,
    what: str,
    timeout: float = 20.0,
    interval: float = INTERVAL,
    ignoring: tuple[type[Exception], ...] = (),
) -> T: ...


@overload  # a plain function that reads state: T is what it returns (with one signature, mypy cannot tell which)
async def eventually(
    probe: Callable[[], T],
    until: Callable[[T], bool] = truthy,
    *,
    what: str,
    timeout: float = 20.0,
    interval: float = INTERVAL,
    ignoring: tuple[type[Exception], ...] = (),
) -> T: ...


async def eventually(
    probe: Callable[[], Awaitable[T] | T],
    until: Callable[[T], bool] = truthy,
    *,
    what: str,
    timeout: float = 20.0,
    interval: float = INTERVAL,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """Call probe (a coroutine function, or a plain one that reads state) until `until(value)` holds, and return
    that value. An exception of a type in `ignoring` counts as "not yet"; after `timeout` seconds an
    AssertionError names `what` and the last answer."""
    wait = _Wait(until, what, timeout, ignoring)
    while True:
        with wait.attempt():
            answer = probe()
            value: T = await answer if inspect.isawaitable(answer) else answer
            if wait.holds(value):
                return value
        await asyncio.sleep(wait.pause(interval))


def eventually_sync(
    probe: Callable[[], T],
    until: Callable[[T], bool] = truthy,
    *,
    what: str,
    timeout: float = 20.0,
    interval: float = INTERVAL,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """`eventually` for blocking tests (Playwright's and httpx's sync clients): the same rules and message."""
    wait = _Wait(until, what, timeout, ignoring)
    while True:
        with wait.attempt():
            if wait.holds(value := probe()):
                return value
        time.sleep(wait.pause(interval))
