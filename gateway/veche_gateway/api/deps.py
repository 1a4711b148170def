"""What the gateway's routes share: operator roles, the refusals every public route documents, the public contest,
cursor pages, partial-update commands and the checks of a returning OpenID sign-in. Routes import these from here,
never from another route module."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from urllib.parse import urlencode

import httpx
import jwt
from fastapi import Depends, Request, Response
from fastapi.security import APIKeyHeader

from veche_gateway.api.openapi import refusals
from veche_gateway.api.upstream import ask
from veche_gateway.auth import oidc_flow
from veche_gateway.auth.console_session import identify
from veche_gateway.context import request_context
from veche_gateway.state import gateway, opened
from veche_shared import oidc
from veche_shared.contracts import results as r
from veche_shared.contracts import submissions
from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.common import Contract
from veche_shared.contracts.representatives import Invitation
from veche_shared.errors import BadRequest, Conflict, Forbidden, Invalid, Unauthenticated, Unavailable, UnknownContest
from veche_shared.operations import results as results_ops
from veche_shared.operations import submissions as submissions_ops
from veche_shared.operators import OperatorKey, Role, holds

Refusals = refusals(401, 403, 404, 409, 422)  # and what veche_gateway.api.openapi adds to every route
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="operator API key")
C = TypeVar("C", bound=Contract)


def require(role: Role) -> Callable[[Request, str | None], Awaitable[OperatorKey]]:
    """A dependency that admits operators holding `role` or a higher one (roles admin > moderator > observer)."""

    async def dependency(request: Request, presented: str | None = Depends(api_key_header)) -> OperatorKey:
        # veche_gateway.middleware.operator_gate found the key before the body was read; checked again if it did not run
        context = request_context(request)
        operator = context.operator
        if operator is None and presented:
            settings = gateway(request).settings
            operator = identify(settings.operator_keys, settings.session_key(), presented)
        if operator is None:
            raise Unauthenticated("unauthenticated", "unknown API key")
        context.operator = operator  # for the audit trail, also when the role is too low
        if not holds(operator, role):
            raise Forbidden("forbidden", f"this action needs the {role} role")
        return operator

    return dependency


Admin = Annotated[OperatorKey, Depends(require("admin"))]
Moderator = Annotated[OperatorKey, Depends(require("moderator"))]
Observer = Annotated[OperatorKey, Depends(require("observer"))]


async def public_contest(request: Request, contest: str) -> Contest:
    """The contest if the public may see it (a draft is as unknown as a contest that does not exist)."""
    found = await ask(request, submissions_ops.CONTEST_GET, submissions.GetContest(contest=contest))
    if not found.is_public():
        raise UnknownContest(contest)
    return found


async def contest_leaderboards(request: Request, contest: str, hidden: bool) -> list[r.Leaderboard]:
    """Every leaderboard of the contest; hidden ones only when `hidden` (operators)."""
    return await ask(request, results_ops.LEADERBOARD_LIST, r.ContestQuery(contest=contest, include_hidden=hidden))


def command(model: type[C], body: Contract, **ids: str) -> C:
    """The command for body plus path ids, keeping which fields the caller left out (a partial update)."""
    return model.model_validate(ids | body.model_dump(exclude_unset=True))


def link_next(request: Request, response: Response, next_cursor: str | None) -> None:
    """Cursor pages over HTTP: the next page's cursor is in the body (`next_cursor`) and, for clients that follow
    links, in a Link header (RFC 8288): <same path and query, cursor replaced>; rel="next"."""
    if next_cursor is None:
        return
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"] + [("cursor", next_cursor)]
    response.headers["Link"] = f'<{request.url.path}?{urlencode(query)}>; rel="next"'


async def returning(request: Request, key: str, state: str, replay_scope: str) -> oidc_flow.Pending:
    """The sign-in this browser started (its sealed cookie), answered once and by its own provider's state."""
    try:
        pending = oidc_flow.unseal(request.cookies.get(oidc_flow.COOKIE, ""), key)
    except jwt.PyJWTError:
        raise BadRequest("no_sign_in", "no sign-in in progress in this browser (or it expired)") from None
    if not state or state != pending.state:
        raise BadRequest("wrong_state", "this answer belongs to another sign-in")
    if not await opened(request).issue_limits.first_use(f"{replay_scope}-{pending.state}"):
        raise Conflict("sign_in_replayed", "this sign-in was completed already")
    return pending


async def provider_metadata(request: Request, issuer: str) -> oidc.ProviderMetadata:
    """The OpenID provider's metadata (cached); 503 when it cannot be reached."""
    try:
        metadata: oidc.ProviderMetadata = await opened(request).oidc.providers.metadata(issuer)
    except (httpx.HTTPError, ValueError, jwt.PyJWTError):
        raise Unavailable("provider_unavailable", "the contest's OpenID provider cannot be reached") from None
    return metadata


def decoded(body: bytes) -> str:
    """An uploaded file as text; 422 not_utf8 names the first byte that is not UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid("not_utf8", f"the file is not UTF-8 text (byte {exc.start})") from None


invitation_key = APIKeyHeader(
    name="X-API-Key", scheme_name="InvitationKey", auto_error=False, description="a municipality's invitation key"
)


def invitation(request: Request, _: str | None = Depends(invitation_key)) -> Invitation:
    """The invitation veche_gateway.middleware.representative_gate resolved for this request; 401 without one."""
    found = request_context(request).invitation
    if found is None:  # the gate resolves it before any route runs
        raise Unauthenticated("unauthenticated", "an invitation key is required (X-API-Key)")
    return found


Representative = Annotated[Invitation, Depends(invitation)]
