"""Device tokens: the gateway issues them per contest (identity mode `device`), the voting service checks them.

A device token is an HS256 JWT {sub: random device id, aud: contest, typ: "device", iat, exp} signed with
the key both processes share (VECHE_GATEWAY_DEVICE_TOKEN_KEY = VECHE_VOTING_DEVICE_TOKEN_KEY).
"""

import math
import secrets
from datetime import datetime, timedelta

import jwt

TYPE = "device"


def issue(key: str, contest: str, issued_at: datetime, lifetime: timedelta = timedelta(days=30)) -> str:
    """A token issued at issued_at (whole seconds) that lives for lifetime (rounded up, at least a second)."""
    now = int(issued_at.timestamp())
    claims = {
        "sub": f"dev_{secrets.token_urlsafe(18)}",
        "aud": contest,
        "typ": TYPE,
        "iat": now,
        "exp": now + max(1, math.ceil(lifetime.total_seconds())),
    }
    return jwt.encode(claims, key, algorithm="HS256")


def verify(key: str | jwt.PyJWK, token: str, contest: str, leeway: float) -> str:
    """The device id of a valid token for this contest; raises jwt.PyJWTError otherwise."""
    claims = jwt.decode(
        token, key, algorithms=["HS256"], audience=contest, leeway=leeway, options={"require": ["exp", "sub", "aud"]}
    )
    if claims.get("typ") != TYPE or not isinstance(claims["sub"], str):
        raise jwt.InvalidTokenError("not a device token")
    return claims["sub"]
