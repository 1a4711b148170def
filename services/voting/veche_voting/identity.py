"""Who is voting: verify the identity token and derive the voter's keyed hash."""

import hashlib
import hmac

import jwt

from veche_shared.contracts.catalog import Contest
from veche_shared.rpc import RpcError
from veche_voting.settings import VotingSettings


def invalid_identity(why: str) -> RpcError:
    return RpcError(403, "invalid_identity", f"the voter's identity token is not valid: {why}")


class Identity:
    def __init__(self, settings: VotingSettings) -> None:
        self._pepper = settings.pepper.get_secret_value().encode()
        self._hs256 = {ref: key.get_secret_value() for ref, key in settings.jwt_hs256_keys.items()}
        self._leeway = settings.clock_skew

    def keyed_hash(self, *parts: str) -> str:
        """HMAC-SHA256 over the parts joined by a separator that ids cannot contain."""
        return hmac.new(self._pepper, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    def voter_subject(self, contest: Contest, token: str) -> str:
        """The voter id inside a valid token for this contest, or 403 invalid_identity."""
        key = self._hs256.get(contest.jwt_key_ref)
        if key is None:
            raise invalid_identity("the contest's key is not configured")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["HS256"],
                audience=contest.jwt_audience or contest.id,
                leeway=self._leeway,
                options={"require": ["exp", "sub", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise invalid_identity(type(exc).__name__) from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not 0 < len(subject) <= 256:
            raise invalid_identity("bad subject")
        return subject
