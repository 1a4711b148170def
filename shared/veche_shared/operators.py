"""Operator API keys and roles: the gateway admits operators by them, and the voting service checks the key of
an annulment again itself, so that the gateway's NATS identity alone cannot annul ballots."""

import hashlib
import hmac
from typing import Literal

from pydantic import BaseModel, Field

Role = Literal["admin", "moderator", "observer"]
RANK: dict[str, int] = {"observer": 1, "moderator": 2, "admin": 3}


class OperatorKey(BaseModel):
    """An operator API key, stored as the SHA-256 of the key, never the key itself."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")
    role: Role
    key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


def find_operator(keys: list[OperatorKey], presented: str) -> OperatorKey | None:
    digest = hashlib.sha256(presented.encode()).hexdigest()
    for key in keys:
        if hmac.compare_digest(key.key_sha256, digest):
            return key
    return None


def holds(operator: OperatorKey, role: Role) -> bool:
    return RANK[operator.role] >= RANK[role]
