"""Operator authentication by API key, with roles admin > moderator > observer."""

import hashlib
import hmac

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from veche_gateway.settings import OperatorKey, Role
from veche_gateway.state import gateway
from veche_shared.errors import Forbidden, Unauthenticated

RANK: dict[str, int] = {"observer": 1, "moderator": 2, "admin": 3}
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="operator API key")


def find_operator(keys: list[OperatorKey], presented: str) -> OperatorKey | None:
    digest = hashlib.sha256(presented.encode()).hexdigest()
    for key in keys:
        if hmac.compare_digest(key.key_sha256, digest):
            return key
    return None


def require(role: Role):  # type: ignore[no-untyped-def]
    """A dependency that admits operators holding `role` or a higher one."""

    async def dependency(request: Request, presented: str | None = Depends(api_key_header)) -> OperatorKey:
        # veche_gateway.operator_gate found the key before the body was read; checked again if it did not run
        operator: OperatorKey | None = request.scope.get("state", {}).get("operator")
        if operator is None and presented:
            operator = find_operator(gateway(request).settings.operator_keys, presented)
        if operator is None:
            raise Unauthenticated("unauthenticated", "unknown API key")
        if RANK[operator.role] < RANK[role]:
            raise Forbidden("forbidden", f"this action needs the {role} role")
        return operator

    return dependency
