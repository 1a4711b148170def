"""svc.results.* entry points."""

from faststream.nats import NatsBroker

from veche_results.handlers import Results
from veche_shared.contracts import results as c
from veche_shared.rpc import serve


def register(broker: NatsBroker, results: Results) -> None:
    serve(broker, c.SERVICE, "leaderboard", c.LeaderboardQuery, results.leaderboard)
    serve(broker, c.SERVICE, "contest_leaderboards", c.ContestQuery, results.contest_leaderboards)
    serve(broker, c.SERVICE, "certificate", c.ContestQuery, results.certificate)
    serve(broker, c.SERVICE, "contest_totals", c.ContestQuery, results.contest_totals)
    serve(broker, c.SERVICE, "municipality_totals", c.ContestQuery, results.municipality_totals)
    serve(broker, c.SERVICE, "timeseries", c.TimeSeriesQuery, results.timeseries)
    serve(broker, c.SERVICE, "recount", c.ContestQuery, results.recount)
