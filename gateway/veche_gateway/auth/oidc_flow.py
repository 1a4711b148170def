"""Sign in with OpenID Connect: the authorization code flow with PKCE (RFC 7636), state and nonce.

The flow's secrets (state, nonce, PKCE verifier) travel in a short-lived HttpOnly cookie, signed by the gateway,
scoped to the callback path; the callback accepts each state once across replicas. The ID token the provider
returns is checked here (with the nonce) and again by the voting service on every ballot.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from veche_shared import oidc
from veche_shared.contracts.catalog import Contest, OidcSignIn
from veche_shared.errors import ErrorCode

COOKIE = "veche_sign_in"
# The answer of a sign-in reaches the page in the URL fragment (`#id_token=`, `#session=`). A link to our page with
# someone else's fragment would plant that identity in a victim's tab, so our own redirect also names a fresh
# nonce in the fragment and in this short-lived cookie, and the page takes the fragment only when both agree.
LANDING_COOKIE = "veche_landing"
LANDING_SECONDS = 120
STATE_TYPE = "oidc_state"
LIFETIME = 600  # seconds a voter has to sign in at the provider


@dataclass(frozen=True)
class Pending:
    """A sign-in in progress, as the cookie carries it."""

    contest: str
    state: str
    nonce: str
    verifier: str
    back: str = ""  # the page to return to (a practice's page of the contest), else the contest's page


def begin(contest: str, back: str = "") -> Pending:
    return Pending(contest, secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48), back)


def seal(pending: Pending, key: str, at: datetime) -> str:
    now = int(at.timestamp())
    claims = {"typ": STATE_TYPE, "c": pending.contest, "s": pending.state, "n": pending.nonce, "v": pending.verifier,
              "b": pending.back}  # fmt: skip
    return jwt.encode(claims | {"iat": now, "exp": now + LIFETIME}, key, algorithm="HS256")


def unseal(cookie: str, key: str) -> Pending:
    """The pending sign-in of a cookie this gateway signed and that has not expired; jwt.PyJWTError otherwise."""
    claims = jwt.decode(cookie, key, algorithms=["HS256"], options={"require": ["exp", "typ"]})
    if claims["typ"] != STATE_TYPE:
        raise jwt.InvalidTokenError("not a sign-in cookie")
    return Pending(claims["c"], claims["s"], claims["n"], claims["v"], claims.get("b", ""))


def authorization_url(metadata: oidc.ProviderMetadata, contest: Contest, pending: Pending, redirect_uri: str) -> str:
    assert contest.oidc is not None
    query = {
        "response_type": "code",
        "client_id": contest.oidc.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(contest.oidc.scopes),
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": challenge(pending.verifier),
        "code_challenge_method": "S256",
    }
    if contest.jwt_max_age:
        query["max_age"] = str(contest.jwt_max_age)  # the provider asks the voter to sign in again if older
    return f"{metadata.authorization_endpoint}?{urlencode(query)}"


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


async def exchange(
    client: httpx.AsyncClient,
    metadata: oidc.ProviderMetadata,
    settings: OidcSignIn,
    secret: str,
    code: str,
    pending: Pending,
    redirect_uri: str,
) -> str:
    """The ID token for an authorization code of a contest's provider."""
    return await exchange_code(client, metadata, settings.client_id, secret, code, pending, redirect_uri)


async def exchange_code(
    client: httpx.AsyncClient,
    metadata: oidc.ProviderMetadata,
    client_id: str,
    secret: str,
    code: str,
    pending: Pending,
    redirect_uri: str,
) -> str:
    """The ID token for an authorization code (client_secret_basic, with the PKCE verifier)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending.verifier,
    }
    answer = await client.post(metadata.token_endpoint, data=form, auth=(client_id, secret), timeout=10)
    if answer.status_code != 200:
        raise SignInFailed("code_refused", f"the provider refused the code ({answer.status_code})")
    body: Any = answer.json()
    token = body.get("id_token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        raise SignInFailed("no_id_token", "the provider returned no ID token")
    return token


class SignInFailed(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def landing(answer: Any, fragment: str, secure: bool) -> str:
    """fragment with a fresh landing nonce, which is also set on answer as the page-readable LANDING_COOKIE."""
    nonce = secrets.token_urlsafe(16)
    answer.set_cookie(LANDING_COOKIE, nonce, max_age=LANDING_SECONDS, path="/", secure=secure, samesite="lax")
    return f"{fragment}&landing={nonce}"
