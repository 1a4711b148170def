"""An open-loop HTTP/1.1 load generator on raw asyncio streams, for when each answer's time matters.

Requests are released on a fixed schedule (rate per second) to a pool of keep-alive connections; a request
that finds every connection busy waits, and its latency counts from its scheduled time.
"""

import asyncio
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    scheduled: float  # time.monotonic() when the request was due
    done: float  # when the whole answer had arrived
    status: int
    body: bytes


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def _connection(
    host: str, port: int, queue: "asyncio.Queue[tuple[float, bytes] | None]", out: list[Answer]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (item := await queue.get()) is not None:
            scheduled, request = item
            writer.write(request)
            status, body = await _read_answer(reader)
            out.append(Answer(scheduled, time.monotonic(), status, body))
    finally:
        writer.close()


async def paced(host: str, port: int, requests: list[bytes], rate: float, connections: int) -> list[Answer]:
    """Send the requests at `rate` per second; return every answer (unordered)."""
    queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()
    answers: list[Answer] = []
    workers = [asyncio.create_task(_connection(host, port, queue, answers)) for _ in range(connections)]
    start = time.monotonic()
    for i, request in enumerate(requests):
        due = start + i / rate
        if (wait := due - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        queue.put_nowait((due, request))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return answers


def post(host: str, port: int, path: str, body: str, headers: dict[str, str]) -> bytes:
    """The bytes of one keep-alive POST with a JSON body."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    data = body.encode()
    head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
    return (head + f"Content-Length: {len(data)}\r\n{extra}\r\n").encode() + data
