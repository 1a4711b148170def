"""How big each scenario is in the full run and in the smoke run."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    mode: str
    repeats: int
    step_seconds: float  # one wrk run of the ingest ladder
    ladder: tuple[int, ...]  # wrk connections tried, lowest first
    freshness_seconds: float
    reads_seconds: float
    reads_connections: int
    projection_votes: int
    profile_seconds: float
    fanout_clients: int  # SSE streams held open on one gateway process
    fanout_updates: int  # leaderboard updates timed to every stream, per repetition
    p99_limit_ms: float = 100.0


FULL = Sizes(
    mode="full",
    repeats=3,
    step_seconds=6.0,
    ladder=(2, 4, 8, 16, 32, 64),
    freshness_seconds=20.0,
    reads_seconds=8.0,
    reads_connections=16,
    projection_votes=1_000_000,
    profile_seconds=10.0,
    fanout_clients=20_000,
    fanout_updates=10,
)

SMOKE = Sizes(
    mode="smoke",
    repeats=1,
    step_seconds=1.0,
    ladder=(4,),
    freshness_seconds=2.0,
    reads_seconds=1.0,
    reads_connections=4,
    projection_votes=2_000,
    profile_seconds=1.0,
    fanout_clients=50,
    fanout_updates=3,
)
