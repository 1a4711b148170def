"""Device tokens: the gateway issues them per contest (identity mode `device`), the voting service checks them.

A device token is an HS256 JWT {sub: random device id, aud: contest, typ: "device", iat, exp} signed with
the key both processes share (VECHE_GATEWAY_DEVICE_TOKEN_KEY = VECHE_VOTING_DEVICE_TOKEN_KEY).
"""

import secrets
import time

import jwt

TYPE = "device"


def issue(key: str, contest: str, ttl_seconds: int = 30 * 24 * 3600) -> str:
    now = int(time.time())
    claims = {
        "sub": f"dev_{secrets.token_urlsafe(18)}",
        "aud": contest,
        "typ": TYPE,
        "iat": now,
        "exp": now + ttl_seconds,
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
