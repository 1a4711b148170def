"""Signing keys fetched from an identity provider's JWKS URL: cached, and fetched again when a token names a key
that is not in the cache (the provider rotated its keys), at most once per `refetch_interval`."""

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

log = logging.getLogger("veche.jwks")
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})


class JwksCache:
    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        ttl: float = 3600,
        refetch_interval: float = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._client = client
        self._ttl = ttl
        self._refetch_interval = refetch_interval
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -float("inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The provider's signing key `kid` (the only one if the token names none); PyJWKClientError if unknown."""
        now = self._clock()
        stale = now - self._fetched_at > self._ttl
        if stale or (self._lookup(kid) is None and now - self._fetched_at > self._refetch_interval):
            await self._refresh(self._fetched_at)
        found = self._lookup(kid)
        if found is None:
            raise jwt.PyJWKClientError(f"no signing key {kid!r} at the provider's JWKS")
        return found

    def _lookup(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    async def _refresh(self, seen: float) -> None:
        async with self._lock:
            if self._fetched_at != seen:  # another task fetched while this one waited
                return
            try:
                answer = await self._client.get(self.url, timeout=5)
                keys = _signing_keys(answer.raise_for_status().json())
            except (httpx.HTTPError, ValueError, jwt.PyJWTError):
                log.warning("cannot fetch the JWKS at %s; keeping the keys fetched before", self.url, exc_info=True)
                self._fetched_at = self._clock() - self._ttl + self._refetch_interval  # retry soon, not per token
                return
            self._keys, self._fetched_at = keys, self._clock()


def _signing_keys(document: Any) -> dict[str, jwt.PyJWK]:
    keys = jwt.PyJWKSet.from_dict(document).keys
    usable = [k for k in keys if k.algorithm_name in ASYMMETRIC and k.public_key_use in (None, "sig")]
    return {k.key_id or "": k for k in usable}
