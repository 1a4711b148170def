"""How a contest identifies its voters, and the public page's sign-in with OpenID Connect."""

from typing import Annotated
from urllib.parse import quote

import httpx
import jwt
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from veche_gateway.api.deps import Refusals, provider_metadata, public_contest, returning
from veche_gateway.auth import oidc_flow
from veche_gateway.auth.voter_identity import VoterIdentity, identity_of
from veche_gateway.pages import preferred_language
from veche_gateway.state import gateway, opened
from veche_shared import oidc
from veche_shared.contracts.catalog import Contest, IdentityMode
from veche_shared.contracts.common import Id
from veche_shared.errors import Conflict, Invalid, Unavailable

router = APIRouter(prefix="/api/v1", tags=["public"])
CALLBACK = "/api/v1/sign-in/callback"


@router.get("/contests/{contest}/identity", responses=Refusals)
async def voter_identity(request: Request, contest: Id) -> VoterIdentity:
    """How voters of this contest prove who they are."""
    return identity_of(await public_contest(request, contest), gateway(request).settings.voter_token_field)


BACK = Query(
    max_length=300,
    pattern=r"^/(ru|en)/contests/[A-Za-z0-9_-]{1,64}/nominations/[A-Za-z0-9_-]{1,64}/practices/[A-Za-z0-9_-]{1,64}$",
    description="a practice's page of this contest to come back to (else the contest's page)",
)


@router.get("/contests/{contest}/sign-in", status_code=302, responses=Refusals)
async def sign_in(request: Request, contest: Id, back: Annotated[str, BACK] = "") -> RedirectResponse:
    """Start signing in at the contest's OpenID provider (authorization code flow with PKCE); `back` names the
    practice's page the voter started from (only a page of this contest: never another site)."""
    if back and back.split("/")[3] != contest:
        raise Invalid("invalid_request", "back names a page of another contest")
    found = await _oidc_contest(request, contest)
    assert found.oidc is not None
    metadata = await provider_metadata(request, found.oidc.issuer)
    pending = oidc_flow.begin(contest, back)
    target = oidc_flow.authorization_url(metadata, found, pending, _redirect_uri(request))
    answer = RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
    key = gateway(request).settings.device_token_key.get_secret_value()
    cookie = oidc_flow.seal(pending, key, gateway(request).clock())
    answer.set_cookie(
        oidc_flow.COOKIE, cookie, max_age=oidc_flow.LIFETIME, path=CALLBACK,
        secure=_redirect_uri(request).startswith("https:"), httponly=True, samesite="lax",
    )  # fmt: skip
    return answer


@router.get("/sign-in/callback", status_code=303, responses=Refusals, include_in_schema=False)
async def sign_in_callback(request: Request, state: str = "", code: str = "", error: str = "") -> RedirectResponse:
    """The provider sends the voter back here; the page gets the checked ID token in the URL fragment."""
    key = gateway(request).settings.device_token_key.get_secret_value()
    pending = await returning(request, key, state, replay_scope="oidc")
    try:
        token = await _finish(request, pending, code, error)
        fragment = f"id_token={quote(token)}"
    except oidc_flow.SignInFailed as exc:
        fragment = f"sign_in_error={exc.code}"
    answer = RedirectResponse("/", status_code=303)
    fragment = oidc_flow.landing(answer, fragment, secure=_redirect_uri(request).startswith("https:"))
    lang = preferred_language(request.headers.get("accept-language"))
    page = pending.back or f"/{lang}/contests/{pending.contest}"  # back was checked when the sign-in began
    answer.headers["location"] = f"{page}#{fragment}"
    answer.delete_cookie(oidc_flow.COOKIE, path=CALLBACK)
    answer.headers["Cache-Control"] = "no-store"
    return answer


async def _finish(request: Request, pending: oidc_flow.Pending, code: str, error: str) -> str:
    if error or not code:
        raise oidc_flow.SignInFailed("provider_refused", "the provider did not sign the voter in")
    found = await _oidc_contest(request, pending.contest)
    assert found.oidc is not None
    settings = gateway(request).settings
    secret = settings.oidc_client_secrets.get(found.oidc.client_secret_ref)
    if secret is None:
        raise Unavailable("sign_in_unconfigured", "the contest's client secret is not configured")
    metadata = await provider_metadata(request, found.oidc.issuer)
    client = opened(request).oidc.http
    try:
        token = await oidc_flow.exchange(
            client, metadata, found.oidc, secret.get_secret_value(), code, pending, _redirect_uri(request)
        )
        keys = await opened(request).oidc.providers.keys(found.oidc.issuer)
        rules = oidc.TokenRules(
            found.oidc.issuer, found.oidc.client_id, 30, found.jwt_max_age, found.oidc.require_claim, pending.nonce
        )
        await oidc.verify(token, keys, rules)
    except oidc.MissingClaim:
        raise oidc_flow.SignInFailed(
            "missing_claim", "the provider does not vouch for what the contest requires"
        ) from None
    except (jwt.PyJWTError, httpx.HTTPError, ValueError):
        raise oidc_flow.SignInFailed("invalid_id_token", "the provider's ID token is not valid") from None
    return token


async def _oidc_contest(request: Request, contest: str) -> Contest:
    found = await public_contest(request, contest)
    if found.identity_mode != IdentityMode.jwt or found.oidc is None:
        raise Conflict("wrong_identity_mode", f"contest {contest} has no OpenID sign-in")
    return found


def _redirect_uri(request: Request) -> str:
    base = gateway(request).settings.public_url or str(request.base_url).rstrip("/")
    return base + CALLBACK
