"""svc.results.*: standings, totals, time series, certified results and the ledger's state."""

from typing import Any

from veche_shared.contracts import results as c
from veche_shared.contracts import tlog as t
from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import LedgerStatus
from veche_shared.operations.health import status_of
from veche_shared.rpc import Operation

S = c.SERVICE

LEADERBOARD_GET = Operation(
    S, "leaderboard.get", c.LeaderboardQuery, c.Leaderboard, "Standings of one nomination (numbers if visible)."
)
LEADERBOARD_SEALED = Operation(
    S,
    "leaderboard.sealed.{partition}",
    c.LeaderboardQuery,
    c.Leaderboard,
    "A nomination's public board sealed with the log key, answered only by the process that writes its log "
    "(partition: the contest's ledger partition, subjects.ledger_partition).",
)
LEADERBOARD_LIST = Operation(
    S, "leaderboard.list", c.ContestQuery, list[c.Leaderboard], "Standings of every nomination of a contest."
)
CONTEST_TOTALS_GET = Operation(
    S, "contest_totals.get", c.ContestQuery, c.ContestTotals, "Votes per nomination and in all."
)
MUNICIPALITY_TOTALS_GET = Operation(
    S, "municipality_totals.get", c.ContestQuery, c.MunicipalityTotals, "Votes per municipality (the map)."
)
TIMESERIES_GET = Operation(S, "timeseries.get", c.TimeSeriesQuery, c.TimeSeries, "Net votes per minute.")
CERTIFICATE_GET = Operation(
    S, "certificate.get", c.ContestQuery, c.Certificate, "The certified final results of a published contest."
)
LEDGER_RECOUNT = Operation(
    S, "ledger.recount", c.ContestQuery, c.RecountReport, "Replay the ledger and compare.", timeout=120
)
BALLOT_PAGE = Operation(
    S, "ballot.page", c.BallotPageQuery, c.BallotPage, "One page of a certified contest's counted ballots (the export)."
)
LEDGER_STATUS = Operation(S, "ledger.status", Empty, LedgerStatus, "Ledger rate, projector lag, dead letters.")
LOG_CHECKPOINT = Operation(S, "log.checkpoint", t.LogQuery, t.SignedCheckpoint, "A log's latest signed checkpoint.")
LOG_TILE = Operation(S, "log.tile", t.TileQuery, t.LogTile, "A C2SP hash tile of a nomination's log.")
LOG_INCLUSION = Operation(S, "log.inclusion", t.InclusionQuery, t.InclusionProof, "An entry's inclusion proof.")
LOG_LEAF = Operation(S, "log.leaf", t.LeafQuery, t.LeafIndex, "Where a ballot's leaf is in its log.")
LOG_CONSISTENCY = Operation(
    S, "log.consistency", t.ConsistencyQuery, t.ConsistencyProof, "A consistency proof between two checkpoints."
)
LOG_COSIGN = Operation(
    S, "log.cosign", t.CosignatureSubmit, t.SignedCheckpoint, "Add a configured witness's cosignature to a checkpoint."
)
HEALTH_STATUS = status_of(S)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    LEADERBOARD_GET,
    LEADERBOARD_SEALED,
    LEADERBOARD_LIST,
    CONTEST_TOTALS_GET,
    MUNICIPALITY_TOTALS_GET,
    TIMESERIES_GET,
    CERTIFICATE_GET,
    LEDGER_RECOUNT,
    BALLOT_PAGE,
    LEDGER_STATUS,
    LOG_CHECKPOINT,
    LOG_TILE,
    LOG_INCLUSION,
    LOG_LEAF,
    LOG_CONSISTENCY,
    LOG_COSIGN,
    HEALTH_STATUS,
)
