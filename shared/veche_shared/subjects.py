"""Every NATS subject and stream name used by Veche, in one place."""

import re

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # noqa: S105 - a pattern, not a password
_TOKEN = re.compile(TOKEN_PATTERN)

CATALOG_STREAM = "CATALOG"
VOTES_STREAM = "VOTES"
DEAD_LETTER_STREAM = "DEADLETTER"
AUDIT_STREAM = "AUDIT"
AUDIT_ALL = "audit.>"


def token(value: str) -> str:
    """Return value if it is a safe subject token, else raise ValueError."""
    if not _TOKEN.match(value):
        raise ValueError(f"not a subject-safe id: {value!r}")
    return value


def rpc(service: str, operation: str) -> str:
    return f"svc.{service}.{operation}"


def catalog_event(entity: str, scope: str) -> str:
    """catalog.<entity>.<contest or municipality id>"""
    return f"catalog.{token(entity)}.{token(scope)}"


def vote_cast(contest: str, nomination: str, voter_hash: str) -> str:
    return f"votes.cast.{token(contest)}.{token(nomination)}.{token(voter_hash)}"


def votes_annulled(contest: str, nomination: str, annulment_id: str) -> str:
    return f"votes.annulled.{token(contest)}.{token(nomination)}.{token(annulment_id)}"


def live_leaderboard(contest: str, nomination: str) -> str:
    return f"live.leaderboard.{token(contest)}.{token(nomination)}"


LIVE_LEADERBOARD_ALL = "live.leaderboard.>"


def audit(scope: str) -> str:
    """audit.<contest or _platform>: one operator action (stream AUDIT)."""
    return f"audit.{token(scope)}"


def dead_letter(source_stream: str, sequence: int) -> str:
    """deadletter.<stream>.<sequence>: a message a consumer could not use, kept with the reason."""
    return f"deadletter.{token(source_stream)}.{sequence}"


# The gateway replicas' shared rate-limit state: a JetStream key-value bucket (its stream is KV_<bucket>, its
# subjects $KV.<bucket>.<key>). Keys: issue.<window>.<scope>.<keyed hash> counters and pow.<nonce> markers.
GATEWAY_LIMITS_BUCKET = "veche_gateway_limits"
