"""OpenID Connect providers: discovery, their keys, and ID token checks shared by the gateway and voting.

The gateway checks an ID token when the provider hands it over at sign-in (with the sign-in's nonce); the voting
service checks it again on every ballot (without the nonce, which only the sign-in knows): the signature with
the provider's published keys, `iss`, `aud`, `exp`, the contest's maximum age and claim requirement.
"""

import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from pydantic import BaseModel, ConfigDict

from veche_shared.contracts.catalog import ClaimRequirement
from veche_shared.jwks import JwksCache

DISCOVERY = "/.well-known/openid-configuration"


class ProviderMetadata(BaseModel):
    """The part of a provider's discovery document that the code flow uses."""

    model_config = ConfigDict(extra="ignore")
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class TokenRules:
    issuer: str
    audience: str
    leeway: float
    max_age: int | None = None
    require: ClaimRequirement | None = None
    nonce: str | None = None


class Providers:
    """Discovery documents and key caches by issuer, fetched on first use and kept."""

    def __init__(self, client: httpx.AsyncClient, jwks_ttl: float = 3600, refetch_interval: float = 30) -> None:
        self._client = client
        self._jwks_ttl = jwks_ttl
        self._refetch_interval = refetch_interval
        self._metadata: dict[str, ProviderMetadata] = {}
        self._keys: dict[str, JwksCache] = {}

    async def metadata(self, issuer: str) -> ProviderMetadata:
        if issuer not in self._metadata:
            answer = await self._client.get(issuer.rstrip("/") + DISCOVERY, timeout=5)
            found = ProviderMetadata.model_validate(answer.raise_for_status().json())
            if found.issuer != issuer:  # OpenID Connect Discovery 1.0, section 4.3
                raise jwt.InvalidIssuerError(f"the discovery document of {issuer} names issuer {found.issuer}")
            self._metadata[issuer] = found
        return self._metadata[issuer]

    async def keys(self, issuer: str) -> JwksCache:
        if issuer not in self._keys:
            jwks_uri = (await self.metadata(issuer)).jwks_uri
            self._keys[issuer] = JwksCache(
                jwks_uri, self._client, ttl=self._jwks_ttl, refetch_interval=self._refetch_interval
            )
        return self._keys[issuer]


async def verify(token: str, keys: JwksCache, rules: TokenRules) -> dict[str, Any]:
    """The claims of a valid token; raises jwt.PyJWTError (or a subclass) naming what is wrong."""
    key = await keys.key(jwt.get_unverified_header(token).get("kid"))
    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=[key.algorithm_name],
        audience=rules.audience,
        issuer=rules.issuer,
        leeway=rules.leeway,
        options={"require": ["exp", "iat", "sub", "aud", "iss"]},
    )
    check_claims(claims, rules)
    return claims


def check_claims(claims: dict[str, Any], rules: TokenRules) -> None:
    """Maximum age, nonce and the contest's claim requirement, on claims whose signature was checked."""
    if rules.max_age is not None and time.time() - float(claims["iat"]) > rules.max_age + rules.leeway:
        raise TooOld("the token is older than the contest's maximum age")
    if rules.nonce is not None and claims.get("nonce") != rules.nonce:
        raise jwt.InvalidTokenError("the nonce is not the one of this sign-in")
    requirement = rules.require
    if requirement is not None and claims.get(requirement.claim) not in requirement.one_of:
        raise MissingClaim(f"the claim {requirement.claim} does not hold a required value")


class TooOld(jwt.InvalidTokenError):
    """Signed in too long ago for this contest (its `jwt_max_age`)."""


class MissingClaim(jwt.InvalidTokenError):
    """The voter signed in, but the provider does not vouch for what the contest requires."""
