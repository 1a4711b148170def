"""Device identity: a signed per-contest token for contests whose identity mode is `device`."""

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from pydantic import Field

from veche_gateway.api_public import Refusals, public_contest
from veche_shared import device_tokens
from veche_shared.contracts.catalog import IdentityMode
from veche_shared.contracts.common import Contract, Id
from veche_shared.errors import Conflict

router = APIRouter(prefix="/api/v1", tags=["public"])


class DeviceToken(Contract):
    token: str = Field(description="send as `Authorization: Bearer <token>` when voting in this contest")
    token_type: str = Field("Bearer", examples=["Bearer"])
    contest: Id
    expires_at: datetime


@router.post("/contests/{contest}/device-token", status_code=201, responses=Refusals)
async def issue_device_token(request: Request, contest: Id) -> DeviceToken:
    """A new anonymous device identity for one contest (409 unless its identity mode is `device`)."""
    found = await public_contest(request, contest)
    if found.identity_mode != IdentityMode.device:
        raise Conflict("wrong_identity_mode", f"contest {contest} identifies voters by {found.identity_mode}")
    settings = request.app.state.settings
    ttl = settings.device_token_ttl_seconds
    token = device_tokens.issue(settings.device_token_key.get_secret_value(), contest, ttl)
    return DeviceToken(token=token, contest=contest, expires_at=datetime.now(UTC) + timedelta(seconds=ttl))
