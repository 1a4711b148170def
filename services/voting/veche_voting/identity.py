"""Who is voting: verify the identity token and derive the voter's keyed hash."""

import hashlib
import hmac
import logging
from pathlib import Path
from typing import Any

import httpx
import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.utils import base64url_encode

from veche_shared import device_tokens, oidc
from veche_shared.contracts.catalog import Contest, IdentityMode
from veche_shared.errors import InvalidIdentity
from veche_shared.jwks import JwksCache
from veche_voting.settings import VotingSettings

log = logging.getLogger("veche.voting.identity")


class Identity:
    """Each key is bound to one algorithm, so `alg=none` or an HS256 token signed with an RSA public key fail."""

    def __init__(self, settings: VotingSettings) -> None:
        self._pepper = settings.pepper.get_secret_value().encode()
        self._device_key = _hs256(settings.device_token_key.get_secret_value())
        self._leeway = settings.clock_skew
        self._keys = {ref: _hs256(key.get_secret_value()) for ref, key in settings.jwt_hs256_keys.items()}
        self._keys |= {ref: _rs256(pem) for ref, pem in settings.jwt_rs256_keys.items()}
        self._jwks = {ref: JwksFile(path) for ref, path in settings.jwt_jwks_files.items()}
        self._http = httpx.AsyncClient(follow_redirects=False)
        refetch = settings.jwks_refetch_seconds
        self._jwks_urls = {
            ref: JwksCache(url, self._http, refetch_interval=refetch) for ref, url in settings.jwt_jwks_urls.items()
        }
        self._providers = oidc.Providers(self._http, refetch_interval=refetch)

    async def aclose(self) -> None:
        await self._http.aclose()

    def keyed_hash(self, *parts: str) -> str:
        """HMAC-SHA256 over the parts joined by a separator that ids cannot contain."""
        return hmac.new(self._pepper, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    async def voter_hash(self, contest: Contest, token: str) -> str:
        """The keyed hash of the voter behind a valid token for this contest, or InvalidIdentity."""
        return self.hash_of(contest, await self.claims(contest, token))

    def hash_of(self, contest: Contest, claims: dict[str, Any]) -> str:
        """The keyed hash of the voter whose verified claims these are."""
        return self.keyed_hash(contest.id, subject_of(claims))

    async def voter_subject(self, contest: Contest, token: str) -> str:
        return subject_of(await self.claims(contest, token))

    async def claims(self, contest: Contest, token: str) -> dict[str, Any]:
        """The verified claims of a valid token for this contest (a device token's: its `sub` alone)."""
        try:
            if contest.identity_mode == IdentityMode.device:
                return {"sub": device_tokens.verify(self._device_key, token, contest.id, self._leeway)}
            if contest.oidc is not None:
                return await self._id_token(contest, token)
            return await self._decode_jwt(contest, token)
        except (jwt.PyJWTError, httpx.HTTPError, ValueError) as exc:
            raise InvalidIdentity(type(exc).__name__) from None

    async def _id_token(self, contest: Contest, token: str) -> dict[str, Any]:
        """An ID token of the contest's OpenID provider, for its client; the nonce was checked at sign-in."""
        assert contest.oidc is not None
        issuer = contest.oidc.issuer
        rules = oidc.TokenRules(
            issuer, contest.oidc.client_id, self._leeway, contest.jwt_max_age, contest.oidc.require_claim
        )
        return await oidc.verify(token, await self._providers.keys(issuer), rules)

    async def _decode_jwt(self, contest: Contest, token: str) -> dict[str, Any]:
        key = await self._key(contest.jwt_key_ref, token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[key.algorithm_name],
            audience=contest.jwt_audience or contest.id,
            issuer=contest.jwt_issuer,
            leeway=self._leeway,
            options={"require": ["exp", "sub", "aud"] + (["iat"] if contest.jwt_max_age else [])},
        )
        oidc.check_claims(claims, oidc.TokenRules(contest.jwt_issuer or "", "", self._leeway, contest.jwt_max_age))
        return claims

    async def _key(self, ref: str, token: str) -> jwt.PyJWK:
        if ref in self._keys:
            return self._keys[ref]
        kid = jwt.get_unverified_header(token).get("kid")
        if ref in self._jwks_urls:
            return await self._jwks_urls[ref].key(kid)
        if ref in self._jwks:
            found = self._jwks[ref].get(str(kid))
            if found is None:
                raise jwt.InvalidKeyError("unknown kid")
            return found
        raise InvalidIdentity("the contest's key is not configured")


def subject_of(claims: dict[str, Any]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= 256:
        raise InvalidIdentity("bad subject")
    return subject


class _CheckedOnce(HMACAlgorithm):
    """HS256 bound to one secret, checked once: PyJWT (2.15) checks an HMAC secret again on every decode (that it
    is no PEM, SSH, DER or JWK key), about a fifth of a device token's verification."""

    def __init__(self, secret: bytes) -> None:
        super().__init__(HMACAlgorithm.SHA256)
        self._secret = secret
        self._prepared = super().prepare_key(secret)

    def prepare_key(self, key: str | bytes) -> bytes:
        return self._prepared if key == self._secret else super().prepare_key(key)


def _hs256(secret: str) -> jwt.PyJWK:
    key = jwt.PyJWK.from_dict({"kty": "oct", "alg": "HS256", "k": base64url_encode(secret.encode()).decode()})
    key.Algorithm = _CheckedOnce(key.key)
    return key


def _rs256(pem: str) -> jwt.PyJWK:
    rsa = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
    return jwt.PyJWK.from_dict(rsa.to_jwk(rsa.prepare_key(pem), as_dict=True) | {"alg": "RS256"})


class JwksFile:
    """The RS256 keys of a JWKS file by kid; read again when a token names an unknown kid and the file changed,
    so the identity provider's key rotation needs no restart."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._mtime = -1.0
        self._keys: dict[str, jwt.PyJWK] = {}
        self._load()
        if not self._keys:
            raise ValueError(f"{path} holds no RS256 key with a kid")

    def get(self, kid: str) -> jwt.PyJWK | None:
        if kid not in self._keys:
            self._load()
        return self._keys.get(kid)

    def _load(self) -> None:
        try:
            mtime = self._path.stat().st_mtime
            if mtime == self._mtime:
                return
            keys = jwt.PyJWKSet.from_json(self._path.read_text()).keys
        except (OSError, jwt.PyJWTError):
            log.warning("cannot read the JWKS file %s; keeping the keys read before", self._path, exc_info=True)
            return
        self._keys = {k.key_id: k for k in keys if k.key_id and k.algorithm_name == "RS256"}
        self._mtime = mtime
