"""publish_once: a clustered stream answers a message whose Nats-Msg-Id another publish is storing at that moment
"in process" (409, 10158); the chaos run's submissions replicas met it when a writer flushed its outbox while the
relay sent the same entry, and answered the organiser 500. Asked again, the stream answers a duplicate."""

from typing import Any

import pytest
from nats.js.api import PubAck
from nats.js.errors import APIError

from veche_shared import bus


class Stream:
    """Stands in for JetStream's publish: refuses with `errors` in turn, then acknowledges."""

    def __init__(self, *errors: int) -> None:
        self.errors = list(errors)
        self.sent: list[tuple[str, bytes, dict[str, Any]]] = []

    async def publish(self, subject: str, payload: bytes = b"", *, headers: dict[str, Any] | None = None) -> PubAck:
        self.sent.append((subject, payload, headers or {}))
        if self.errors:
            raise APIError(code=409, err_code=self.errors.pop(0), description="refused")
        return PubAck(stream="CATALOG", seq=7, duplicate=len(self.sent) > 1)


async def test_an_entry_in_process_elsewhere_is_sent_again_and_answered_as_a_duplicate() -> None:
    stream = Stream(bus.IN_PROCESS, bus.IN_PROCESS)
    ack = await bus.publish_once(stream, "catalog.contest.c", b"{}", {"Nats-Msg-Id": "e1"})
    assert (ack.seq, ack.duplicate, len(stream.sent)) == (7, True, 3)
    assert {headers["Nats-Msg-Id"] for _, _, headers in stream.sent} == {"e1"}


async def test_any_other_refusal_is_raised_at_once() -> None:
    stream = Stream(10071)  # wrong last sequence: a guard, not a race to wait out
    with pytest.raises(APIError) as refused:
        await bus.publish_once(stream, "votes.x", b"{}", {"Nats-Msg-Id": "e2"})
    assert (refused.value.err_code, len(stream.sent)) == (10071, 1)


async def test_an_entry_in_process_for_too_long_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bus, "IN_PROCESS_RETRIES", 3)
    stream = Stream(*[bus.IN_PROCESS] * 3)
    with pytest.raises(APIError) as refused:
        await bus.publish_once(stream, "audit.platform", b"{}", {"Nats-Msg-Id": "e3"})
    assert (refused.value.err_code, len(stream.sent)) == (bus.IN_PROCESS, 3)
