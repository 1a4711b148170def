"""What the gateway knows about one request, typed, in one place.

middleware/request_context.py makes it first (request id, client address); the gates add who is asking (an
operator, a representative's invitation); operator routes add what the audit trail keeps beside the answer. Every
reader goes through `request_context(scope)`: nothing else in the gateway reads or writes scope["state"].
"""

from dataclasses import dataclass
from typing import Any

from starlette.requests import HTTPConnection
from starlette.types import Scope

from veche_shared.contracts.representatives import Invitation
from veche_shared.operators import OperatorKey

KEY = "veche"  # the one entry of scope["state"] (request.state) the gateway uses


@dataclass(slots=True)
class RequestContext:
    request_id: str  # X-Request-Id: the client's if well-formed, else a new id; in logs, RPC and problems
    client_ip: str  # the client's address as text ("" when unknown), after trusted proxies
    client_key: str  # what per-address limits, stream caps and ip_hash key on: the address, an IPv6 client's /64
    operator: OperatorKey | None = None  # an authenticated operator (key or console session)
    invitation: Invitation | None = None  # a municipality representative's resolved invitation
    audit_before: dict[str, Any] | None = None  # the target as it was, for the audit entry
    audit_after: dict[str, Any] | None = None  # the audit entry's `after` when the answer holds a secret
    recorded: str | None = None  # the audit entry the service that made this request's change appended itself


def begin(scope: Scope, request_id: str, client_ip: str, client_key: str) -> RequestContext:
    """The request's context, made once, at the outside of the middleware stack."""
    context = RequestContext(request_id, client_ip, client_key)
    scope.setdefault("state", {})[KEY] = context
    return context


def request_context(where: Scope | HTTPConnection) -> RequestContext:
    """The request's context. A request that never met middleware/request_context.py (an error raised outside it)
    gets an empty one, so a problem document can still be written."""
    scope = where.scope if isinstance(where, HTTPConnection) else where
    found = scope.get("state", {}).get(KEY)
    if isinstance(found, RequestContext):
        return found
    return begin(scope, "", "", "")
