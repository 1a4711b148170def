"""svc.voting.*: ballots. ballot.cast and ballot.get are the hot path (a raw subscription, see the ADR)."""

from typing import Any

from veche_shared.contracts import roll as r
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
ROLL_GET = Operation(S, "roll.get", r.RollQuery, r.RollState, "A contest's voter roll: its head (operators).")
ROLL_WRITE = Operation(
    S,
    "roll.write",
    r.WriteRollEntries,
    r.RollEntriesWritten,
    "Enter keyed hashes of identifiers (admins).",
    timeout=60,
)
ROLL_COMMIT = Operation(S, "roll.commit", r.CommitRoll, r.RollHead, "Put an uploaded roll in force (admins).")
HEALTH_STATUS = status_of(S)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    BALLOT_CAST,
    BALLOT_GET,
    BALLOT_ANNUL,
    ROLL_GET,
    ROLL_WRITE,
    ROLL_COMMIT,
    HEALTH_STATUS,
)
