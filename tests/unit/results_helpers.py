"""The results service's use cases in this process on the in-memory adapters (veche_results.fakes): the catalog
applied to its view as the follower would, ledger events counted by the projector's own rule (`counted_of`), each
request answered by the service's own table of routes through `veche_shared.rpc.answer` as the bus would deliver it.
The stores are held to the database by tests/integration/test_results_store.py."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from veche_dev import factories as f
from veche_results.certifier import Certifier
from veche_results.fakes import InMemoryCertificates, InMemoryTallies, RecordedLedger, SentBoards
from veche_results.handlers import Results
from veche_results.projector import counted_of
from veche_results.rpc import result_routes, sealed_routes
from veche_shared import subjects
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import CatalogEvent, ContestEvent, Phase, Visibility
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.results import BallotPageQuery, Certificate, Leaderboard
from veche_shared.contracts.tlog import FinalCheckpoint
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.rpc import Operation, answer, unwrap
from veche_shared.rpc.client import _wire
from veche_shared.tlog.note import Signer
from veche_shared.tlog.seal import sealed


class SealsEveryBoard:
    """The Sealing port for one process that writes every log: the board signed, without a log head (the head a
    sealed board names is the transparency log's, tested with it in tests/integration/test_transparency_log.py)."""

    def __init__(self) -> None:
        self.signer = Signer.generate("results.test")

    async def seal(self, contest: str, nomination: str, build: Callable[[], Any]) -> Leaderboard | None:
        board: Leaderboard = await build()
        return sealed(board, self.signer)


async def reads_the_ledger(*_: object) -> Any:
    """Recount and the ballots file read stream VOTES: tests/integration/test_certification.py covers them."""
    raise AssertionError("this use case reads the ledger on nats-server: an integration test")


async def no_logs(contest: str, sizes: dict[str, int]) -> dict[str, FinalCheckpoint]:
    """A certificate's final checkpoints are the transparency log's, on the database: tests/integration/
    test_transparency_log.py checks that a certificate holds each log's and that `veche verify` recomputes it."""
    return {}


class InMemoryResults:
    def __init__(
        self,
        clock: Callable[[], datetime] = utcnow,
        final_logs: Callable[[str, dict[str, int]], Awaitable[dict[str, FinalCheckpoint]]] = no_logs,
    ) -> None:
        self.view = CatalogView()
        self.ledger = RecordedLedger()
        self.tallies = InMemoryTallies()
        self.certificates = InMemoryCertificates()
        self.live = SentBoards()
        recounter: Callable[[str], Any] = reads_the_ledger
        pages: Callable[[Certificate, BallotPageQuery], Any] = reads_the_ledger
        self.results = Results(
            self.view, self.tallies, self.live, self.certificates, recounter, pages, clock, SealsEveryBoard()
        )
        every = [*result_routes(self.results), *sealed_routes(self.results, range(subjects.LEDGER_PARTITIONS))]
        self.handlers = {r.op.subject: r.handler for r in every}
        self.certifier = Certifier(
            self.ledger, self.certificates, self.tallies, self._counted_through, clock, self.view, final_logs
        )

    async def _counted_through(self, target: int) -> bool:
        """Every ledger event is counted as it is recorded (the projector's lag is the integration tests')."""
        return target <= await self.ledger.last_sequence()

    def catalog(self, *events: CatalogEvent) -> None:
        for event in events:
            self.view.apply(event)

    def seed(self, contest: str, municipalities: list[str], visibility: Visibility) -> None:
        """An open contest; nomination "n" has one approved practice `<contest>-<m>` per municipality m (as
        tests/integration/results_helpers.seed_catalog publishes it)."""
        practices = [f.practice(contest, f"{contest}-{m}", municipality=m) for m in municipalities]
        self.catalog(
            *(event for _, event in f.catalog(f.contest(contest, visibility=visibility), {"n": practices}).events())
        )

    def change_phase(self, contest: str, phase: Phase, visibility: Visibility) -> None:
        changed = f.contest(contest, phase=phase, visibility=visibility, version=2)
        self.catalog(ContestEvent(type="ContestPhaseChanged", contest=changed))

    async def record(self, event: VoteCast | VotesAnnulled) -> int:
        """Append to the ledger and count it as the projector does; returns its sequence."""
        seq = self.ledger.record(event)
        await self.tallies.apply(counted_of(seq, event))
        return seq

    async def cast(self, contest: str, municipality: str, n: int, cast_at: datetime | None = None) -> int:
        return await self.record(f.ballot(contest, f"{contest}-{municipality}", n, cast_at=cast_at))

    async def ask(self, op: Operation[Any, Any], payload: BaseModel) -> Any:
        """The validated reply, as the JSON it travelled as; a refusal raises its DomainError."""
        reply, _ = await answer(op, self.handlers[op.subject], _wire(payload))
        return to_jsonable_python(op.adapter.validate_python(unwrap(reply)))
