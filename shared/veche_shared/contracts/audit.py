"""The operators' audit trail: one entry per operator action, in stream AUDIT on audit.<contest or _platform>."""

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from veche_shared.contracts.common import Contract, Id

PLATFORM_SCOPE = "_platform"  # the scope of actions on no contest (municipalities)
ActorKind = Literal["operator", "representative", "unknown"]
Via = Literal["api", "cli", "bus"]


class Actor(Contract):
    """Who asks a service for a change, as the caller names them in the RPC header `Veche-Actor`: an operator by
    name and role, a representative by the opaque id of their invitation (no personal data). The service records it
    in the change's audit entry; `action` and `route` are the caller's words for the change."""

    kind: ActorKind
    name: str = Field(pattern=r"^[A-Za-z0-9_.@-]{1,64}$", examples=["moderator-anna", "01JDZ3V5J6Q6K3N1R2M4P8T9W0"])
    role: str = Field(max_length=32, examples=["moderator", "representative"])
    via: Via = "api"
    action: str | None = Field(None, max_length=64, examples=["change_phase"])
    route: str = Field("", max_length=200, examples=["POST /api/v1/admin/contests/{contest}/phase"])


class AuditEntry(Contract):
    """Who did what to which target, when, with which outcome and change."""

    type: Literal["AuditEntry"] = "AuditEntry"
    schema_version: Literal[1] = 1
    id: str = Field(description="a ULID")
    at: datetime
    operator: str = Field(examples=["moderator-anna"], description="the actor: an operator's name, an invitation id")
    role: str = Field(examples=["moderator"])
    via: Via = "api"
    actor_kind: ActorKind = "operator"
    recorded_by: str = Field("gateway", examples=["submissions"], description="the process that appended it")
    request_id: str = Field(max_length=64)
    action: str = Field(examples=["change_phase"], description="the operation: the route's or command's name")
    route: str = Field("", examples=["POST /api/v1/admin/contests/{contest}/phase"])
    contest: Id | None = None
    target: dict[str, str] = Field(default_factory=dict, examples=[{"contest": "forum-2018"}])
    status: int = Field(ge=100, le=599, description="HTTP status of the outcome (a CLI: 200 done, 500 failed)")
    error_code: str | None = None
    change: dict[str, Any] | None = Field(None, description="what the operator asked for (the request body)")
    before: dict[str, Any] | None = Field(None, description="the target before, where the gateway reads it first")
    after: dict[str, Any] | None = Field(None, description="the answer: the target after, or the action's report")


def _iso_text(value: object) -> object:
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):  # else "0.5" reads as a Unix time
        raise ValueError("an ISO 8601 date-time, e.g. 2026-11-29T17:00:00Z")
    return value


IsoDatetime = Annotated[datetime, BeforeValidator(_iso_text)]


class AuditQuery(Contract):
    contest: Id | None = Field(None, description=f"only this contest (`{PLATFORM_SCOPE}`: actions on no contest)")
    operator: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=64)
    since: IsoDatetime | None = Field(None, description="entries at or after this instant")
    until: IsoDatetime | None = Field(None, description="entries before this instant")
    cursor: int | None = Field(None, ge=1, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=500)


class AuditPage(Contract):
    entries: list[AuditEntry] = Field(description="oldest first")
    next_cursor: int = Field(ge=1, description="pass back as cursor for the next page (or, later, for new entries)")
    more: bool = Field(description="false when the page reached the end of the trail")
