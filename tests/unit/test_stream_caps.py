"""Open SSE streams are capped per client address and on the whole process (issue 26: there was no global cap, so
many addresses together could hold any number of streams)."""

import pytest

from veche_gateway.live.sse import Connections
from veche_shared.errors import TooMany, Unavailable


def test_an_address_gets_its_own_share_and_the_process_no_more_than_its_total() -> None:
    streams = Connections(per_ip=2, most=5)
    held = [streams.acquire("198.51.100.1") for _ in range(2)]
    with pytest.raises(TooMany):
        streams.acquire("198.51.100.1")
    held += [streams.acquire(f"203.0.113.{i}") for i in range(3)]
    assert streams.total() == 5
    with pytest.raises(Unavailable) as full:
        streams.acquire("192.0.2.7")  # a fresh address, but the process is full
    assert full.value.code == "streams_full"
    held[0]()
    held[0]()  # a release twice frees one slot only
    streams.acquire("192.0.2.7")
    assert streams.total() == 5
