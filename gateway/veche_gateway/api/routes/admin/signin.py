"""Organisers sign in to /admin with the organiser's OpenID provider (authorization code flow with PKCE, as the
voters' sign-in in api/routes/signin.py): the callback checks the ID token, maps its role claim to a role and hands the
console a session token in the URL fragment (never sent to a server, so never in a log)."""

from typing import Literal
from urllib.parse import quote, urlencode

import httpx
import jwt
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import Field

from veche_gateway.api.deps import provider_metadata, returning
from veche_gateway.auth import console_session, oidc_flow
from veche_gateway.settings import ConsoleSignIn, GatewaySettings
from veche_gateway.state import gateway, opened
from veche_shared import oidc
from veche_shared.contracts.common import Contract
from veche_shared.errors import NotFound

api = APIRouter(prefix="/api/v1/console", tags=["operators"])
pages = APIRouter(prefix="/admin", include_in_schema=False)
CALLBACK = "/admin/sign-in/callback"


class SignInMethods(Contract):
    """How organisers may sign in to the console."""

    methods: list[Literal["key", "oidc"]] = Field(examples=[["key", "oidc"]])


@api.get("/sign-in-methods")
async def sign_in_methods(request: Request) -> SignInMethods:
    """Whether the console offers signing in with the organiser's OpenID provider besides an operator key."""
    return SignInMethods(methods=["key", "oidc"] if gateway(request).settings.console_oidc else ["key"])


def _configured(request: Request) -> ConsoleSignIn:
    found = gateway(request).settings.console_oidc
    if found is None:
        raise NotFound("sign_in_unconfigured", "organisers sign in with an operator key here")
    return found


@pages.get("/sign-in")
async def sign_in(request: Request) -> RedirectResponse:
    """Start signing in at the organisers' OpenID provider."""
    config, settings = _configured(request), gateway(request).settings
    metadata = await provider_metadata(request, config.issuer)
    pending = oidc_flow.begin("")
    query = {
        "response_type": "code", "client_id": config.client_id, "redirect_uri": _redirect_uri(settings, request),
        "scope": " ".join(config.scopes), "state": pending.state, "nonce": pending.nonce,
        "code_challenge": oidc_flow.challenge(pending.verifier), "code_challenge_method": "S256",
    }  # fmt: skip
    target = f"{metadata.authorization_endpoint}?{urlencode(query)}"
    answer = RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
    secure = _redirect_uri(settings, request).startswith("https:")
    cookie = oidc_flow.seal(pending, settings.console_session_key.get_secret_value(), gateway(request).clock())
    answer.set_cookie(oidc_flow.COOKIE, cookie, max_age=oidc_flow.LIFETIME, path=CALLBACK, secure=secure, httponly=True)
    return answer


@pages.get("/sign-in/callback")
async def sign_in_callback(request: Request, state: str = "", code: str = "", error: str = "") -> RedirectResponse:
    """The provider sends the organiser back here; the console gets its session in the URL fragment."""
    config, settings = _configured(request), gateway(request).settings
    key = settings.console_session_key.get_secret_value()
    pending = await returning(request, key, state, replay_scope="console")
    try:
        claims = await _claims(request, config, settings, pending, code, error)
        role = console_session.role_of(claims, config)
        if role is None:
            raise oidc_flow.SignInFailed("no_role", "the provider names no console role for this account")
        name = console_session.operator_name(claims, config)
        key, now = settings.console_session_key.get_secret_value(), gateway(request).clock()
        token = console_session.issue(name, role, key, config.session_seconds, now)
        fragment = f"session={quote(token)}"
    except oidc_flow.SignInFailed as exc:
        fragment = f"sign_in_error={exc.code}"
    answer = RedirectResponse("/admin", status_code=303, headers={"Cache-Control": "no-store"})
    secure = _redirect_uri(settings, request).startswith("https:")
    answer.headers["location"] = f"/admin#{oidc_flow.landing(answer, fragment, secure)}"
    answer.delete_cookie(oidc_flow.COOKIE, path=CALLBACK)
    return answer


async def _claims(
    request: Request,
    config: ConsoleSignIn,
    settings: GatewaySettings,
    pending: oidc_flow.Pending,
    code: str,
    error: str,
) -> dict[str, object]:
    """The checked claims of the ID token the provider gives for the code."""
    if error or not code:
        raise oidc_flow.SignInFailed("provider_refused", "the provider did not sign the organiser in")
    secret = settings.oidc_client_secrets[config.client_secret_ref].get_secret_value()
    metadata = await provider_metadata(request, config.issuer)
    client = opened(request).oidc
    redirect = _redirect_uri(settings, request)
    try:
        token = await oidc_flow.exchange_code(client.http, metadata, config.client_id, secret, code, pending, redirect)
        keys = await client.providers.keys(config.issuer)
        return await oidc.verify(token, keys, oidc.TokenRules(config.issuer, config.client_id, 30, nonce=pending.nonce))
    except (jwt.PyJWTError, httpx.HTTPError, ValueError):
        raise oidc_flow.SignInFailed("invalid_id_token", "the provider's ID token is not valid") from None


def _redirect_uri(settings: GatewaySettings, request: Request) -> str:
    return (settings.public_url or str(request.base_url).rstrip("/")) + CALLBACK
