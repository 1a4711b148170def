"""svc.results.* entry points: each operation of the catalogue handed to its use case."""

from faststream.nats import NatsBroker

from veche_results.handlers import Results
from veche_results.ledger_watch import LedgerWatch
from veche_results.transparency import Transparency
from veche_shared.metrics import RpcMetrics
from veche_shared.operations import results as ops
from veche_shared.rpc import serve


def register(broker: NatsBroker, results: Results, watch: LedgerWatch, logs: Transparency, metrics: RpcMetrics) -> None:
    serve(broker, ops.LEADERBOARD_GET, results.leaderboard, metrics)
    serve(broker, ops.LEADERBOARD_LIST, results.contest_leaderboards, metrics)
    serve(broker, ops.CERTIFICATE_GET, results.certificate, metrics)
    serve(broker, ops.CONTEST_TOTALS_GET, results.contest_totals, metrics)
    serve(broker, ops.MUNICIPALITY_TOTALS_GET, results.municipality_totals, metrics)
    serve(broker, ops.TIMESERIES_GET, results.timeseries, metrics)
    serve(broker, ops.LEDGER_RECOUNT, results.recount, metrics)
    serve(broker, ops.BALLOT_PAGE, results.ballots, metrics)
    serve(broker, ops.LEDGER_STATUS, watch.status, metrics)
    serve(broker, ops.LOG_CHECKPOINT, logs.checkpoint, metrics)
    serve(broker, ops.LOG_TILE, logs.tile, metrics)
    serve(broker, ops.LOG_INCLUSION, logs.inclusion, metrics)
    serve(broker, ops.LOG_LEAF, logs.leaf, metrics)
    serve(broker, ops.LOG_CONSISTENCY, logs.consistency, metrics)
    serve(broker, ops.LOG_COSIGN, logs.cosign, metrics)
