"""The client's address, as the key of per-address limits, stream caps and `ip_hash`.

X-Forwarded-For is read only when the direct peer is a trusted proxy, and then the client is the rightmost hop that
is not a trusted proxy: each proxy appends the address it saw, so hops left of the last untrusted one were written
by the client and prove nothing. This is the rule of uvicorn's ProxyHeadersMiddleware (a test holds them equal);
unlike it, the chosen hop must be an IP address, else the peer is kept. An IPv6 client is keyed by its /64: one
subscriber line commonly holds a whole /64, so a per-address limit on single IPv6 addresses limits nothing.
"""

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_ip(value: str) -> Address | None:
    """An address from a header hop or a socket peer: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`."""
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else value
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def key_of(address: Address | None) -> str:
    """The limit key of an address: an IPv4 address itself, an IPv6 address's /64, "" when unknown."""
    if address is None:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class ClientAddress:
    def __init__(self, trusted_proxies: Iterable[Network]) -> None:
        self._trusted = tuple(trusted_proxies)

    def trusted(self, address: Address | None) -> bool:
        return address is not None and any(address in network for network in self._trusted)

    def of(self, peer: str | None, forwarded_for: list[str]) -> Address | None:
        """The client, from the socket peer and every X-Forwarded-For header value in order."""
        peer_address = parse_ip(peer or "")
        if not forwarded_for or not self.trusted(peer_address):
            return peer_address
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        chosen = next((hop for hop in reversed(hops) if not self.trusted(parse_ip(hop))), hops[0])
        return parse_ip(chosen) or peer_address
