"""svc.results.* entry points: each operation of the catalogue handed to its use case."""

from collections.abc import Iterable
from typing import Any

from faststream.nats import NatsBroker

from veche_results.handlers import Results
from veche_results.ledger_watch import LedgerWatch
from veche_results.transparency import Transparency
from veche_shared.metrics import RpcMetrics
from veche_shared.operations import results as ops
from veche_shared.rpc import Route, route, serve_routes


def result_routes(results: Results) -> list[Route[Any, Any]]:
    """The operations answered from the counters and the certificates (the use cases of handlers.Results)."""
    return [
        route(ops.LEADERBOARD_GET, results.leaderboard),
        route(ops.LEADERBOARD_LIST, results.contest_leaderboards),
        route(ops.CERTIFICATE_GET, results.certificate),
        route(ops.CONTEST_TOTALS_GET, results.contest_totals),
        route(ops.MUNICIPALITY_TOTALS_GET, results.municipality_totals),
        route(ops.TIMESERIES_GET, results.timeseries),
        route(ops.LEDGER_RECOUNT, results.recount),
        route(ops.BALLOT_PAGE, results.ballots),
    ]


def routes(results: Results, watch: LedgerWatch, logs: Transparency) -> list[Route[Any, Any]]:
    """Every operation of svc.results.* and its use case."""
    return [
        *result_routes(results),
        route(ops.LEDGER_STATUS, watch.status),
        route(ops.LOG_CHECKPOINT, logs.checkpoint),
        route(ops.LOG_TILE, logs.tile),
        route(ops.LOG_INCLUSION, logs.inclusion),
        route(ops.LOG_LEAF, logs.leaf),
        route(ops.LOG_CONSISTENCY, logs.consistency),
        route(ops.LOG_COSIGN, logs.cosign),
    ]


def sealed_routes(results: Results, ledger_partitions: Iterable[int]) -> list[Route[Any, Any]]:
    """A nomination's sealed board, one subject per ledger partition whose logs this process writes: the gateway
    asks the contest's partition, so only the log's writer answers (docs/verifiability.md)."""
    sealed = ops.LEADERBOARD_SEALED
    return [route(sealed.at(partition=str(p)), results.sealed_leaderboard) for p in ledger_partitions]


def register(
    broker: NatsBroker,
    results: Results,
    watch: LedgerWatch,
    logs: Transparency,
    metrics: RpcMetrics,
    ledger_partitions: list[int],
) -> None:
    serve_routes(broker, [*routes(results, watch, logs), *sealed_routes(results, ledger_partitions)], metrics)
