"""The one bootstrap shape: parts stop in reverse start order, also when start-up fails half-way."""

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from fastapi import FastAPI

from veche_shared.lifespan import Running


@dataclass(frozen=True)
class State:
    parts: tuple[str, ...]


def starter(
    log: list[str], parts: list[str], fail_after: int | None = None
) -> Callable[[AsyncExitStack], Awaitable[State]]:
    async def start(stack: AsyncExitStack) -> State:
        for n, part in enumerate(parts):
            if n == fail_after:
                raise RuntimeError(f"{part} did not start")
            log.append(f"start {part}")

            async def stop(part: str = part) -> None:
                log.append(f"stop {part}")

            stack.push_async_callback(stop)
        return State(tuple(parts))

    return start


async def checks(state: State) -> dict[str, bool]:
    return {part: True for part in state.parts}


async def test_state_while_running_and_stops_in_reverse() -> None:
    log: list[str] = []
    running = Running(starter(log, ["mongo", "broker", "follower"]))
    ready = running.readiness(checks)
    assert await ready() == {"started": False}
    async with running.lifespan(FastAPI()):
        assert running.state == State(("mongo", "broker", "follower"))
        assert await ready() == {"mongo": True, "broker": True, "follower": True}
        log.append("serving")
    assert running.state is None
    assert await ready() == {"started": False}
    assert log == [
        "start mongo", "start broker", "start follower", "serving", "stop follower", "stop broker", "stop mongo"
    ]  # fmt: skip


async def test_a_failed_start_stops_what_had_started() -> None:
    log: list[str] = []
    running = Running(starter(log, ["mongo", "broker", "follower"], fail_after=2))
    with pytest.raises(RuntimeError, match="follower did not start"):
        async with running.lifespan(FastAPI()):
            pytest.fail("the app must not serve after a failed start")
    assert log == ["start mongo", "start broker", "stop broker", "stop mongo"]
    assert running.state is None
