"""Operator authentication by API key, with roles admin > moderator > observer."""

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from veche_gateway.console_session import identify
from veche_gateway.state import gateway
from veche_shared.errors import Forbidden, Unauthenticated
from veche_shared.operators import OperatorKey, Role, holds

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="operator API key")


def require(role: Role):  # type: ignore[no-untyped-def]
    """A dependency that admits operators holding `role` or a higher one."""

    async def dependency(request: Request, presented: str | None = Depends(api_key_header)) -> OperatorKey:
        # veche_gateway.operator_gate found the key before the body was read; checked again if it did not run
        operator: OperatorKey | None = request.scope.get("state", {}).get("operator")
        if operator is None and presented:
            settings = gateway(request).settings
            operator = identify(settings.operator_keys, settings.session_key(), presented)
        if operator is None:
            raise Unauthenticated("unauthenticated", "unknown API key")
        request.state.operator = operator  # for the audit trail, also when the role is too low
        if not holds(operator, role):
            raise Forbidden("forbidden", f"this action needs the {role} role")
        return operator

    return dependency
