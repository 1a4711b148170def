"""Organisers who sign in with the organiser's OpenID provider: a claim of their ID token names their role, and
the gateway gives the console a short-lived session token that the admin API takes wherever it takes a key.

The session is signed with its own key (console_session_key), not the device-token key the voting service also
holds, so no other process can make an operator. A session is not revocable before it expires: keep it short.
"""

import hashlib
import re
from datetime import datetime
from typing import Any

import jwt

from veche_gateway.settings import ConsoleSignIn
from veche_shared.operators import RANK, OperatorKey, Role, find_operator

SESSION_TYPE = "console_session"
NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,58}$")  # after the "oidc." prefix, an operator name's 64 characters


def role_of(claims: dict[str, Any], config: ConsoleSignIn) -> Role | None:
    """The highest role any value of the role claim maps to; None when none does."""
    value = claims.get(config.role_claim)
    values = value if isinstance(value, list) else [value]
    best: Role | None = None
    for role in (config.roles[v] for v in values if isinstance(v, str) and v in config.roles):
        if best is None or RANK[role] > RANK[best]:
            best = role
    return best


def operator_name(claims: dict[str, Any], config: ConsoleSignIn) -> str:
    """ "oidc." and the name claim, or a digest of it when it does not fit an operator name."""
    value = str(claims.get(config.name_claim) or claims.get("sub") or "")
    return "oidc." + (value if NAME.match(value) else hashlib.sha256(value.encode()).hexdigest()[:16])


def issue(name: str, role: Role, key: str, seconds: int, at: datetime) -> str:
    now = int(at.timestamp())
    claims = {"typ": SESSION_TYPE, "name": name, "role": role, "iat": now, "exp": now + seconds}
    return jwt.encode(claims, key, algorithm="HS256")


def session_operator(token: str, key: str) -> OperatorKey | None:
    """The operator of a session this gateway signed and that has not expired; None for anything else."""
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "typ", "name", "role"]})
        if claims["typ"] != SESSION_TYPE:
            return None
        return OperatorKey(
            name=claims["name"], role=claims["role"], key_sha256=hashlib.sha256(token.encode()).hexdigest()
        )
    except (jwt.PyJWTError, ValueError):
        return None


def identify(keys: list[OperatorKey], session_key: str | None, presented: str) -> OperatorKey | None:
    """The operator of an API key, or of a console session when organiser sign-in is configured."""
    found = find_operator(keys, presented)
    if found is None and session_key and presented.count(".") == 2:  # a JWT, not a key
        found = session_operator(presented, session_key)
    return found
