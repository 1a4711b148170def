"""One bootstrap shape for every process: start-up builds a typed state on an AsyncExitStack; readiness reads it."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Generic, TypeVar

from fastapi import FastAPI

from veche_shared.web import ReadinessCheck

State = TypeVar("State")


class Running(Generic[State]):
    """The typed state of a running process: set by the lifespan, None before start-up and after shutdown.

    `start` starts each part and pushes its stop onto the stack right away, so shutdown, and a start-up that
    fails half-way, stop exactly what was started, in reverse order.
    """

    def __init__(self, start: Callable[[AsyncExitStack], Awaitable[State]]) -> None:
        self._start = start
        self.state: State | None = None

    @asynccontextmanager
    async def lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            self.state = await self._start(stack)
            try:
                yield
            finally:
                self.state = None

    def readiness(self, checks: Callable[[State], Awaitable[dict[str, bool]]]) -> ReadinessCheck:
        """The process's readiness checks, read from its state; not ready at all while it is not running."""

        async def ready() -> dict[str, bool]:
            return {"started": False} if self.state is None else await checks(self.state)

        return ready
