"""What operators see of the running platform: service health, the ledger, the moderation queue."""

from datetime import datetime
from typing import Literal

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


DeadLetterKind = Literal["invalid_event", "unknown_subject", "unloggable", "other"]
RECENT_DEAD_LETTERS = 20


class DeadLetter(Contract):
    """A ledger message the results projector could not use: kept in stream DEADLETTER, never counted."""

    sequence: int = Field(ge=0, description="its sequence in stream VOTES (`nats stream get VOTES <sequence>`)")
    dead_letter_sequence: int = Field(ge=0, description="its sequence in stream DEADLETTER")
    at: datetime = Field(description="when it was dead-lettered")
    kind: DeadLetterKind = Field(
        description="invalid_event: the payload is not a valid event; unknown_subject: not a subject voting writes; "
        "unloggable: ids no transparency-log entry can carry; other: written before kinds were recorded"
    )
    reason: str = Field(max_length=500, examples=["invalid cast message: 2 errors"])
    subject: str = Field(max_length=300, examples=["votes.cast.7.forum-2018.3f2a"])
    contest: str | None = Field(None, description="the contest its subject names, if it names one")
    nomination: str | None = Field(
        None,
        description="its nomination: an annulment's subject names it, a ballot's is read from its body "
        "(header Veche-Nomination of the dead letter)",
    )


class LedgerStatus(Contract):
    """The vote ledger (stream VOTES) and how far the leaderboards are behind it."""

    last_sequence: int = Field(ge=0)
    messages_per_second: float = Field(ge=0, description="ledger appends (ballots and annulments), last ~10 s")
    lag: int = Field(ge=0, description="the largest lag of the projectors' consumers")
    consumers: list[ConsumerLag]
    dead_letters: int = Field(ge=0, description="messages held in stream DEADLETTER")
    recent_dead_letters: list[DeadLetter] = Field(
        default_factory=list, max_length=RECENT_DEAD_LETTERS, description="the newest dead letters, newest first"
    )


class PracticeCountsQuery(Contract):
    contest: Id


class PracticeCounts(Contract):
    """Practices of a contest by status; `pending` is the moderation queue."""

    pending: int = Field(ge=0)
    approved: int = Field(ge=0)
    rejected: int = Field(ge=0)
    withdrawn: int = Field(ge=0)


class OpsLinks(Contract):
    """Where an operator goes next, as this deployment configures them (null: not configured)."""

    grafana: str | None = Field(None, description="the Grafana dashboard of this platform")
    runbook: str | None = Field(None, description="where this deployment publishes docs/operations.md")


class OpsOverview(Contract):
    """Everything the console's operations view (/ops) shows for one contest, or for the platform alone (contest
    null: no contest's parts); a part is null when its service did not answer."""

    contest: Id | None = Field(description="null: the platform's overview, without a contest's parts")
    generated_at: datetime
    details: Contest | None = Field(description="the contest's phase, visibility and rules")
    results_public: bool | None = Field(description="whether the public sees the numbers now")
    services: list[ServiceStatus]
    ledger: LedgerStatus | None
    moderation: PracticeCounts | None
    leaderboards: list[Leaderboard] | None = Field(description="every nomination, hidden ones included")
    links: OpsLinks = Field(default_factory=OpsLinks)
