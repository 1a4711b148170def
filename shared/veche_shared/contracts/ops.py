"""What operators see of the running platform: service health, the ledger, the moderation queue."""

from datetime import datetime

from pydantic import Field

from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.common import Contract, Id
from veche_shared.contracts.results import Leaderboard


class ServiceStatus(Contract):
    """One instance's answer to svc.<service>.health.status or .instances: its readiness checks (as /readyz)."""

    service: str = Field(examples=["results"])
    ready: bool
    checks: dict[str, bool] = Field(examples=[{"nats": True, "mongodb": True}])
    uptime_seconds: float = Field(ge=0)
    error: str | None = Field(None, description="set by the gateway when the service did not answer")
    instance: str | None = Field(None, examples=["results-host1-4242"], description="which process answered")
    partitions: list[int] | None = Field(None, description="the results partitions this instance projects")


class ConsumerLag(Contract):
    """A results projector's durable consumer on stream VOTES."""

    name: str = Field(examples=["results-projector"])
    applied_sequence: int = Field(ge=0, description="the consumer's ack floor: applied to the leaderboards")
    lag: int = Field(ge=0, description="messages of the consumer's share of the ledger not yet applied")


class LedgerStatus(Contract):
    """The vote ledger (stream VOTES) and how far the leaderboards are behind it."""

    last_sequence: int = Field(ge=0)
    messages_per_second: float = Field(ge=0, description="ledger appends (ballots and annulments), last ~10 s")
    lag: int = Field(ge=0, description="the largest lag of the projectors' consumers")
    consumers: list[ConsumerLag]
    dead_letters: int = Field(ge=0, description="messages held in stream DEADLETTER")


class PracticeCountsQuery(Contract):
    contest: Id


class PracticeCounts(Contract):
    """Practices of a contest by status; `pending` is the moderation queue."""

    pending: int = Field(ge=0)
    approved: int = Field(ge=0)
    rejected: int = Field(ge=0)
    withdrawn: int = Field(ge=0)


class OpsOverview(Contract):
    """Everything the /ops page shows for one contest; a part is null when its service did not answer."""

    contest: Id
    generated_at: datetime
    details: Contest | None = Field(description="the contest's phase, visibility and rules")
    results_public: bool | None = Field(description="whether the public sees the numbers now")
    services: list[ServiceStatus]
    ledger: LedgerStatus | None
    moderation: PracticeCounts | None
    leaderboards: list[Leaderboard] | None = Field(description="every nomination, hidden ones included")
