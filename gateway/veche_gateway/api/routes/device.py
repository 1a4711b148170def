"""Device identity: a signed per-contest token for contests whose identity mode is `device`.

Issued only while voting is open, valid until the contest closes at most, for a solved proof-of-work challenge
(ALTCHA) used once, and at most so many per client address and IPv6 /64 per window, counted across replicas.
"""

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError

from veche_gateway.api.deps import Refusals, public_contest
from veche_gateway.auth import proof_of_work
from veche_gateway.context import request_context
from veche_gateway.errors import too_many
from veche_gateway.state import gateway, opened
from veche_shared import device_tokens
from veche_shared.contracts.catalog import Contest, IdentityMode
from veche_shared.contracts.common import Contract, Id
from veche_shared.errors import Conflict, Forbidden

router = APIRouter(prefix="/api/v1", tags=["public"])


class DeviceTokenRequest(Contract):
    altcha: str = Field(
        min_length=1, max_length=4_096, description="the ALTCHA widget's payload: a solved challenge of this contest"
    )


class DeviceToken(Contract):
    token: str = Field(description="send as `Authorization: Bearer <token>` when voting in this contest")
    token_type: str = Field("Bearer", examples=["Bearer"])
    contest: Id
    expires_at: datetime


async def _device_contest(request: Request, contest: str) -> Contest:
    """The contest if it identifies voters by device and is open for voting now."""
    found = await public_contest(request, contest)
    if found.identity_mode != IdentityMode.device:
        raise Conflict("wrong_identity_mode", f"contest {contest} identifies voters by {found.identity_mode}")
    if not found.accepts_votes(gateway(request).clock()):
        raise Conflict("voting_not_open", f"contest {contest} is not open for voting")
    return found


@router.get("/contests/{contest}/device-challenge", responses=Refusals)
async def device_challenge(request: Request, contest: Id) -> JSONResponse:
    """A proof-of-work challenge (ALTCHA) to solve before asking for a device token; each may be used once."""
    found = await _device_contest(request, contest)
    settings = gateway(request).settings
    made = proof_of_work.challenge(
        settings.altcha_hmac_key.get_secret_value(),
        contest,
        found.device_difficulty,
        settings.device_pow_cost,
        gateway(request).clock() + timedelta(seconds=settings.device_challenge_seconds),
    )
    return JSONResponse(made, headers={"Cache-Control": "no-store"})


@router.post("/contests/{contest}/device-token", status_code=201, response_model=DeviceToken, responses=Refusals)
async def issue_device_token(request: Request, contest: Id, body: DeviceTokenRequest) -> Any:
    """A new anonymous device identity for one contest, for a solved challenge of GET .../device-challenge."""
    found = await _device_contest(request, contest)
    settings, limits = gateway(request).settings, opened(request).issue_limits
    try:
        nonce = proof_of_work.verify(settings.altcha_hmac_key.get_secret_value(), body.altcha, contest)
    except proof_of_work.PowRefused as exc:
        raise Forbidden("invalid_proof_of_work", str(exc)) from None
    answered = await limits.issued(nonce)  # a retry (after a fault, or a lost answer) gets the same token
    if answered is None:
        if (spent := await limits.take(request_context(request).client_ip)) is not None:
            gateway(request).metrics.rate_limited.labels(f"device_issue_{spent}").inc()
            return _issue_limited(request, settings.device_issue_window_seconds, spent)
        key, now = settings.device_token_key.get_secret_value(), gateway(request).clock()
        made = _new_token(key, found, now, timedelta(seconds=settings.device_token_ttl_seconds))
        answered = await limits.remember(nonce, made.model_dump_json().encode())
    try:
        return DeviceToken.model_validate_json(answered)
    except ValidationError:  # the marker of an earlier version: used, its token unknown
        raise Forbidden("invalid_proof_of_work", "this challenge was used already") from None


def _new_token(key: str, contest: Contest, now: datetime, life: timedelta) -> DeviceToken:
    expires = now + life
    if contest.closes_at is not None:
        expires = min(expires, contest.closes_at)
    return DeviceToken(token=device_tokens.issue(key, contest.id, now, expires - now), contest=contest.id,
                       expires_at=expires)  # fmt: skip


def _issue_limited(request: Request, window: int, scope: str) -> Response:
    wait = window - gateway(request).clock().timestamp() % window
    return too_many(request.scope, wait, "address" if scope == "address" else "network")
