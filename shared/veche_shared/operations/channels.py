"""The bus's one-way channels (streams and live fan-out), declared once next to the RPC operations."""

from dataclasses import dataclass, field
from typing import Any

from veche_shared import subjects
from veche_shared.contracts.catalog import ContestEvent, MunicipalityEvent, NominationEvent, PracticeEvent
from veche_shared.contracts.ops import ServiceStatus
from veche_shared.contracts.results import LeaderboardChanged
from veche_shared.contracts.votes import VoteCast, VotesAnnulled


@dataclass(frozen=True)
class Channel:
    """Messages of one shape on one subject pattern: who writes them and who reads them."""

    address: str = field(metadata={"doc": "a template of subjects.py, some parameters filled in"})
    payload: Any = field(metadata={"doc": "a model, or None for messages kept as they arrived"})
    summary: str
    producer: str
    consumers: tuple[str, ...]
    stream: str | None = field(default=None, metadata={"doc": "the JetStream stream; None: core NATS"})


def _catalog(entity: str, payload: type[Any], scope: str) -> Channel:
    return Channel(
        subjects.CATALOG_EVENT.replace("{entity}", entity).replace("{scope}", "{" + scope + "}"),
        payload,
        f"The whole {entity} at its new version, after every change (consumers keep the newest version).",
        "submissions",
        ("voting", "results"),
        subjects.CATALOG_STREAM,
    )


CHANNELS: tuple[Channel, ...] = (
    _catalog("contest", ContestEvent, "contest"),
    _catalog("nomination", NominationEvent, "contest"),
    _catalog("municipality", MunicipalityEvent, "municipality"),
    _catalog("practice", PracticeEvent, "contest"),
    Channel(
        subjects.VOTE_CAST,
        VoteCast,
        "One ballot, appended to its voter's subject in the contest with a compare-and-set on the subject's last "
        "sequence; header Veche-Voted lists the voter's nominations so far, and a nomination in it is not voted again.",
        "voting",
        ("results",),
        subjects.VOTES_STREAM,
    ),
    Channel(
        subjects.VOTES_ANNULLED,
        VotesAnnulled,
        "Ballots taken out of the count, in order with the ballots.",
        "voting",
        ("results",),
        subjects.VOTES_STREAM,
    ),
    Channel(
        subjects.DEAD_LETTER,
        None,
        "A ledger message the results service could not use, unchanged; headers Veche-Reason and Veche-Subject.",
        "results",
        ("operators",),
        subjects.DEAD_LETTER_STREAM,
    ),
    Channel(
        subjects.LIVE_LEADERBOARD,
        LeaderboardChanged,
        "The public snapshot of a leaderboard after a change (ephemeral; numbers only when visible).",
        "results",
        ("gateway",),
    ),
    Channel(
        subjects.HEALTH_INSTANCES,
        ServiceStatus,
        "Every instance of a service (no queue group) replies to a request here with its status; /ops lists them.",
        "submissions, voting, results",
        ("gateway",),
    ),
)
