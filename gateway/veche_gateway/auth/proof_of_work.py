"""ALTCHA proof-of-work challenges for device tokens (PoW v2, PBKDF2/SHA-256, deterministic counter).

The server picks a counter between difficulty/2 and difficulty and publishes the first half of the key it
derives from it; the browser derives keys for counters 0, 1, 2, ... until one matches, so the expected work is
about 3/4 of the contest's difficulty in PBKDF2 runs. Verification needs no derivation: the challenge carries an
HMAC of the derived key (altcha's fast path). The challenge names its contest and expires.
"""

import base64
import binascii
import json
import secrets
from datetime import datetime
from typing import Any

import altcha

ALGORITHM = "PBKDF2/SHA-256"


class PowRefused(Exception):
    """The proof of work is missing, wrong, expired or for another contest."""


def challenge(secret: str, contest: str, difficulty: int, cost: int, expires_at: datetime) -> dict[str, Any]:
    """A new signed challenge for one contest, as the ALTCHA widget fetches it."""
    counter = difficulty // 2 + secrets.randbelow(difficulty - difficulty // 2 + 1)
    made = altcha.create_challenge(
        ALGORITHM,
        cost,
        counter=counter,
        expires_at=int(expires_at.timestamp()),
        data={"contest": contest},
        hmac_secret=secret,
        hmac_key_secret=_key_secret(secret),
    )
    answer: dict[str, Any] = made.to_dict()
    return answer


def verify(secret: str, payload: str, contest: str) -> str:
    """The nonce of a valid solution of a challenge for this contest; raises PowRefused otherwise."""
    result = altcha.verify_solution(payload, secret, hmac_key_secret=_key_secret(secret))
    if not result.verified:
        raise PowRefused("the challenge has expired" if result.expired else "the solution is not valid")
    try:
        parameters = json.loads(base64.b64decode(payload, validate=True))["challenge"]["parameters"]
    except (ValueError, binascii.Error, KeyError, TypeError) as exc:  # verified above, so this is unexpected
        raise PowRefused("the solution is not readable") from exc
    if parameters.get("data") != {"contest": contest}:
        raise PowRefused("the challenge was made for another contest")
    nonce: str = parameters["nonce"]
    return nonce


def _key_secret(secret: str) -> str:
    return f"{secret}:derived-key"
