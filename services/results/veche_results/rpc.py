"""svc.results.* entry points."""

from faststream.nats import NatsBroker

from veche_results.handlers import Results
from veche_results.ledger_watch import LedgerWatch
from veche_shared.contracts import results as c
from veche_shared.contracts.common import Empty
from veche_shared.metrics import RpcMetrics
from veche_shared.rpc import serve


def register(broker: NatsBroker, results: Results, watch: LedgerWatch, metrics: RpcMetrics) -> None:
    serve(broker, c.SERVICE, "leaderboard", c.LeaderboardQuery, results.leaderboard, metrics)
    serve(broker, c.SERVICE, "contest_leaderboards", c.ContestQuery, results.contest_leaderboards, metrics)
    serve(broker, c.SERVICE, "certificate", c.ContestQuery, results.certificate, metrics)
    serve(broker, c.SERVICE, "contest_totals", c.ContestQuery, results.contest_totals, metrics)
    serve(broker, c.SERVICE, "municipality_totals", c.ContestQuery, results.municipality_totals, metrics)
    serve(broker, c.SERVICE, "timeseries", c.TimeSeriesQuery, results.timeseries, metrics)
    serve(broker, c.SERVICE, "recount", c.ContestQuery, results.recount, metrics)
    serve(broker, c.SERVICE, "ledger_status", Empty, watch.status, metrics)
