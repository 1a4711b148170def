"""svc.voting.* entry points."""

from faststream.nats import NatsBroker

from veche_shared.contracts import votes as c
from veche_shared.rpc import serve
from veche_voting.annulments import Annulments
from veche_voting.handlers import Voting


def register(broker: NatsBroker, voting: Voting, annulments: Annulments, max_in_flight: int) -> None:
    serve(broker, c.SERVICE, "cast", c.CastVote, voting.cast, max_workers=max_in_flight)
    serve(broker, c.SERVICE, "my_ballot", c.MyBallotQuery, voting.my_ballot, max_workers=max_in_flight)
    serve(broker, c.SERVICE, "annul", c.AnnulVotes, annulments.annul)
