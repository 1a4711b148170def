"""Limits on issuing device tokens, per client address and per IPv6 /64, counted in a NATS key-value bucket
that every gateway replica shares, so the limits hold whatever the number of replicas.

Counters are fixed windows (key `issue.<window number>.<scope>.<keyed hash>`), raised with compare-and-set;
the bucket's TTL removes a window's keys after it ends. A solved proof-of-work challenge keeps the token issued
for it (`pow.<nonce>`), written with a create that only the first replica can win: the same solved challenge gets
the same token again within its life, so a retry after a fault never costs the voter their proof of work.
"""

import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from nats.js import JetStreamContext
from nats.js.errors import BucketNotFoundError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from veche_gateway.settings import GatewaySettings
from veche_shared.bus import NotProvisioned
from veche_shared.subjects import GATEWAY_LIMITS_BUCKET

log = logging.getLogger("veche.gateway.issue_limits")
ATTEMPTS = 20  # compare-and-set retries when replicas race on one counter


@dataclass(frozen=True)
class IssueRules:
    window_seconds: int
    per_address: int
    per_network: int
    per_site: int = 240  # IPv6 /48
    exempt: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()


async def open_bucket(js: JetStreamContext) -> KeyValue:
    """The bucket `veche provision` made, with the window as its TTL (the gateway's identity may create none)."""
    try:
        kv = await js.key_value(GATEWAY_LIMITS_BUCKET)
    except BucketNotFoundError:
        raise NotProvisioned(f"bucket {GATEWAY_LIMITS_BUCKET} does not exist: run `veche provision` first") from None
    return kv


class IssueLimits:
    def __init__(self, kv: KeyValue, rules: IssueRules, hash_key: bytes, clock: Callable[[], float]) -> None:
        self._kv = kv
        self._rules = rules
        self._hash_key = hash_key
        self._clock = clock

    async def first_use(self, nonce: str) -> bool:
        """True the first time a challenge nonce is seen by any replica (within the bucket's TTL)."""
        try:
            await self._kv.create(f"pow.{nonce}", b"1")
        except KeyWrongLastSequenceError:
            return False
        return True

    async def issued(self, nonce: str) -> bytes | None:
        """What was issued for a solved challenge, if anything was (within the bucket's TTL)."""
        try:
            entry = await self._kv.get(f"pow.{nonce}")
        except KeyNotFoundError:
            return None
        return entry.value or b""

    async def remember(self, nonce: str, issued: bytes) -> bytes:
        """Record what is issued for a challenge; the first replica wins, and what it recorded is returned."""
        try:
            await self._kv.create(f"pow.{nonce}", issued)
        except KeyWrongLastSequenceError:
            return await self.issued(nonce) or b""
        return issued

    async def take(self, client_ip: str) -> str | None:
        """Count one issue for the client's address and network; the scope whose limit is spent, else None."""
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError:
            return None if not client_ip else "address"
        if any(address in network for network in self._rules.exempt):
            return None
        window = int(self._clock() // self._rules.window_seconds)
        scopes = [("address", str(address), self._rules.per_address)]
        if address.version == 6:
            for scope, prefix, limit in (("network", 64, self._rules.per_network), ("site", 48, self._rules.per_site)):
                scopes.append((scope, str(ipaddress.ip_network(f"{address}/{prefix}", strict=False)), limit))
        for scope, value, limit in scopes:
            if not await self._count(f"issue.{window}.{scope}.{self._hash(value)}", limit):
                return scope
        return None

    def _hash(self, value: str) -> str:
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()[:32]

    async def _count(self, key: str, limit: int) -> bool:
        """Raise the counter if it is below the limit; False when the limit is spent."""
        for _ in range(ATTEMPTS):
            try:
                entry = await self._kv.get(key)
            except KeyNotFoundError:
                try:
                    await self._kv.create(key, b"1")
                    return True
                except KeyWrongLastSequenceError:
                    continue
            count = int(entry.value or b"0")
            if count >= limit:
                return False
            try:
                await self._kv.update(key, str(count + 1).encode(), last=entry.revision)
                return True
            except KeyWrongLastSequenceError:
                continue
        return False  # a counter this contended is being hammered: refusing is the safe answer


async def open_issue_limits(
    js: JetStreamContext, settings: GatewaySettings, clock: Callable[[], datetime]
) -> IssueLimits:
    """The shared limits on issuing device tokens, in the NATS key-value bucket `veche provision` made."""
    rules = IssueRules(
        window_seconds=settings.device_issue_window_seconds,
        per_address=settings.device_issue_per_address,
        per_network=settings.device_issue_per_network,
        per_site=settings.device_issue_per_site,
        exempt=tuple(settings.device_issue_exempt),
    )
    kv = await open_bucket(js)
    key = settings.device_token_key.get_secret_value().encode()
    return IssueLimits(kv, rules, key, lambda: clock().timestamp())
