"""svc.voting.* entry points: each operation of the catalogue handed to its use case."""

from typing import Any

from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.aio.subscription import Subscription

from veche_shared.metrics import RpcMetrics
from veche_shared.operations import voting as ops
from veche_shared.rpc import Route, route, serve, serve_concurrent, serve_routes
from veche_voting.annulments import Annulments
from veche_voting.handlers import Voting
from veche_voting.roll import VoterRolls


def operator_routes(annulments: Annulments) -> list[Route[Any, Any]]:
    """Operator commands and their use cases."""
    return [route(ops.BALLOT_ANNUL, annulments.annul)]


def register(broker: NatsBroker, annulments: Annulments, metrics: RpcMetrics) -> None:
    """Operator commands: one at a time per process, through the broker."""
    serve_routes(broker, operator_routes(annulments), metrics)


def register_rolls(broker: NatsBroker, rolls: VoterRolls, metrics: RpcMetrics) -> None:
    """Voter rolls: operators' reads and uploads, through the broker."""
    serve(broker, ops.ROLL_GET, rolls.state, metrics)
    serve(broker, ops.ROLL_WRITE, rolls.write, metrics)
    serve(broker, ops.ROLL_COMMIT, rolls.commit, metrics)


def voter_routes(voting: Voting) -> list[Route[Any, Any]]:
    """The voters' operations and their use cases."""
    return [route(ops.BALLOT_CAST, voting.cast), route(ops.BALLOT_GET, voting.my_ballot)]


async def serve_voters(nc: Client, voting: Voting, max_in_flight: int, metrics: RpcMetrics) -> list[Subscription]:
    """The hot path: many casts in flight, each waiting only for its own JetStream acknowledgement."""
    return [await serve_concurrent(nc, r.op, r.handler, max_in_flight, metrics) for r in voter_routes(voting)]
