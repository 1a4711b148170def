"""The client address behind trusted proxies: the rule of uvicorn's ProxyHeadersMiddleware, IPs only, IPv6 by /64."""

import ipaddress

import pytest
from starlette.types import Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from veche_gateway.middleware.client_address import ClientAddress, key_of

TRUSTED = ["127.0.0.1", "10.0.0.0/8", "fd00::/8"]
# (peer, X-Forwarded-For values, expected client): the same answer uvicorn gives, where that answer is an IP
CASES = [
    ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),  # untrusted peer: its header is ignored
    ("127.0.0.1", [], "127.0.0.1"),  # no header: the proxy itself
    ("127.0.0.1", ["198.51.100.1"], "198.51.100.1"),
    ("127.0.0.1", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  # the client wrote 6.6.6.6 itself
    ("127.0.0.1", ["6.6.6.6, 198.51.100.1, 10.1.2.3"], "198.51.100.1"),  # two proxies in a row
    ("127.0.0.1", ["6.6.6.6", "198.51.100.1, 10.1.2.3"], "198.51.100.1"),  # the header twice
    ("10.9.9.9", ["10.1.1.1, 10.2.2.2"], "10.1.1.1"),  # all hops trusted: the leftmost
    ("127.0.0.1", ["198.51.100.1:4711"], "198.51.100.1"),  # a port is dropped
    ("127.0.0.1", ["[2001:db8::1]:443"], "2001:db8::/64"),
    ("127.0.0.1", ["2001:db8:0:0:ffff::9"], "2001:db8::/64"),  # IPv6 by its /64
    ("fd00::1", ["2001:db8:1:2::7, fd12::3"], "2001:db8:1:2::/64"),
]


async def uvicorn_client(peer: str, forwarded: list[str]) -> str:
    """The client uvicorn's middleware puts into the scope."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["client"][0])

    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope: Scope = {"type": "http", "client": (peer, 1234), "headers": headers}

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(_: Message) -> None:
        return None

    await ProxyHeadersMiddleware(app, trusted_hosts=TRUSTED)(scope, receive, send)  # type: ignore[arg-type]
    return seen[0]


def trusted() -> ClientAddress:
    return ClientAddress(ipaddress.ip_network(n) for n in TRUSTED)


@pytest.mark.parametrize(("peer", "forwarded", "expected"), CASES)
async def test_same_client_as_uvicorn(peer: str, forwarded: list[str], expected: str) -> None:
    ours = key_of(trusted().of(peer, forwarded))
    assert ours == expected
    theirs = ipaddress.ip_address(await uvicorn_client(peer, forwarded))
    assert ours == (str(ipaddress.ip_network((theirs, 64), strict=False)) if theirs.version == 6 else str(theirs))


@pytest.mark.parametrize("forged", ["not-an-ip", "", "1.2.3.4.5", "unknown, "])
def test_a_hop_that_is_no_ip_keeps_the_peer(forged: str) -> None:
    assert key_of(trusted().of("127.0.0.1", [forged])) == "127.0.0.1"


def test_nothing_trusted_by_default() -> None:
    assert key_of(ClientAddress([]).of("127.0.0.1", ["198.51.100.1"])) == "127.0.0.1"


def test_ipv4_mapped_ipv6_peer_is_ipv4() -> None:
    assert key_of(ClientAddress([]).of("::ffff:198.51.100.7", [])) == "198.51.100.7"


def test_unknown_peer_is_empty() -> None:
    assert key_of(ClientAddress([]).of(None, ["198.51.100.1"])) == ""
