"""svc.voting.*: ballots. ballot.cast and ballot.get are the hot path (a raw subscription, see the ADR)."""

from typing import Any

from veche_shared.contracts import votes as c
from veche_shared.operations.health import status_of
from veche_shared.rpc import Operation

S = c.SERVICE

BALLOT_CAST = Operation(S, "ballot.cast", c.CastVote, c.CastAccepted, "Cast a voter's ballot into the ledger.")
BALLOT_GET = Operation(
    S, "ballot.get", c.MyBallotQuery, c.MyBallot, "The caller's own ballot in a nomination, and whether it counts."
)
BALLOT_ANNUL = Operation(
    S, "ballot.annul", c.AnnulVotes, c.AnnulmentReport, "Take ballots out of the count (operators)."
)
HEALTH_STATUS = status_of(S)

OPERATIONS: tuple[Operation[Any, Any], ...] = (BALLOT_CAST, BALLOT_GET, BALLOT_ANNUL, HEALTH_STATUS)
