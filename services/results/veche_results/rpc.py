"""svc.results.* entry points."""

from faststream.nats import NatsBroker

from veche_results.handlers import Results
from veche_shared.contracts import results as c
from veche_shared.metrics import RpcMetrics
from veche_shared.rpc import serve


def register(broker: NatsBroker, results: Results, metrics: RpcMetrics | None = None) -> None:
    serve(broker, c.SERVICE, "leaderboard", c.LeaderboardQuery, results.leaderboard, metrics)
