"""The voting service's cast and my-ballot use cases in this process on the in-memory ledger (veche_voting.fakes): the
catalog applied to its view as the follower would, identity checked with the real keys (HS256, RS256, a JWKS file,
device tokens), each request answered by the service's own table of voter routes through `veche_shared.rpc.answer`
as the bus would deliver it. The ledger is held to the real nats-server by tests/integration/test_vote_ledger.py."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from tests.voting_helpers import Keys, Seeded, cast_command, seeded_catalog, voting_settings
from veche_dev.factories import operator_key
from veche_shared.audit import ServiceTrail
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.audit import AuditEntry
from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.common import utcnow
from veche_shared.contracts.votes import CastAccepted
from veche_shared.errors import DomainError
from veche_shared.operations import voting as voting_ops
from veche_shared.rpc import Operation, answer, unwrap
from veche_shared.rpc.client import _wire
from veche_voting.annulments import Annulments
from veche_voting.fakes import InMemoryLedger
from veche_voting.handlers import Voting
from veche_voting.identity import Identity
from veche_voting.metrics import VotingMetrics
from veche_voting.rpc import operator_routes, voter_routes
from veche_voting.settings import VotingSettings


class NoRolls:
    """Contests without a voter roll never ask for one; those with one are tests/integration/test_roll.py's."""

    async def admits(self, contest: Contest, claims: dict[str, Any]) -> None:
        raise AssertionError(f"{contest.id} has a voter roll (stream ROLL): an integration test")


ADMIN, OBSERVER = "annul-admin-key", "annul-observer-key"


def in_memory_settings(keys: Keys) -> VotingSettings:
    operators = [operator_key("admin-1", "admin", ADMIN), operator_key("observer-1", "observer", OBSERVER)]
    return voting_settings("nats://in-memory.invalid:4222", keys, operator_keys=operators)


class InMemoryVoting:
    """A fresh catalog, ledger and metrics; `identity` (made of in_memory_settings, 0.05-0.2 s for its HTTP client)
    may be shared by the tests of a module, as one running service would share it."""

    def __init__(self, keys: Keys, identity: Identity, clock: Callable[[], datetime] = utcnow) -> None:
        self.settings = in_memory_settings(keys)
        self.registry = CollectorRegistry()
        self.identity = identity
        self.view = CatalogView()
        self.ledger = InMemoryLedger()
        metrics = VotingMetrics(self.registry)
        signer = self.settings.log_signer()
        voting = Voting(self.view, self.ledger, self.identity, metrics, NoRolls(), signer, clock)
        self.audit: list[AuditEntry] = []  # stream AUDIT
        trail = ServiceTrail(self._audit, "voting", clock)
        annulments = Annulments(self.ledger, metrics, self.settings.operator_keys, trail, clock)
        self.handlers = {r.op.subject: r.handler for r in [*voter_routes(voting), *operator_routes(annulments)]}

    async def _audit(self, entry: AuditEntry) -> int:
        self.audit.append(entry)
        return len(self.audit)

    def seed(self, contest: str, **options: Any) -> Seeded:
        """The catalog of tests/voting_helpers.seeded_catalog, applied to the service's view."""
        catalog, seeded = seeded_catalog(contest, **options)
        for _, event in catalog.events():
            self.view.apply(event)
        return seeded

    async def ask(self, op: Operation[Any, Any], payload: BaseModel | bytes) -> Any:
        """The validated reply (a model); a refusal raises its DomainError."""
        body = payload if isinstance(payload, bytes) else _wire(payload)
        reply, _ = await answer(op, self.handlers[op.subject], body)
        return op.adapter.validate_python(unwrap(reply))

    async def cast(self, seeded: Seeded, voter_token: str, **fields: Any) -> CastAccepted:
        accepted: CastAccepted = await self.ask(voting_ops.BALLOT_CAST, cast_command(seeded, voter_token, **fields))
        return accepted

    async def refusal(self, seeded: Seeded, voter_token: str, **fields: Any) -> tuple[int, str]:
        """The (status, code) of a cast that must be refused."""
        try:
            accepted = await self.cast(seeded, voter_token, **fields)
        except DomainError as exc:
            return exc.status, exc.code
        raise AssertionError(f"expected a refusal, got {accepted}")

    def ballots_in_ledger(self, contest: str) -> int:
        return len(self.ledger.ballots_of(contest))

    def sample(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0
