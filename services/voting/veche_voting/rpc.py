"""svc.voting.* entry points."""

from faststream.nats import NatsBroker

from veche_shared.contracts import votes as c
from veche_shared.metrics import RpcMetrics
from veche_shared.rpc import serve
from veche_voting.handlers import Voting


def register(broker: NatsBroker, voting: Voting, metrics: RpcMetrics | None = None) -> None:
    serve(broker, c.SERVICE, "cast", c.CastVote, voting.cast, metrics)
    serve(broker, c.SERVICE, "my_ballot", c.MyBallotQuery, voting.my_ballot, metrics)
