"""Queries of the results service and the live snapshot they share."""

from faststream.nats import NatsBroker

from veche_results import standings
from veche_results.certificate import Certificate
from veche_results.certifier import Certifier
from veche_results.repository import TallyRepository
from veche_shared import subjects
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.results import ContestQuery, Leaderboard, LeaderboardChanged, LeaderboardQuery
from veche_shared.rpc import not_found


class Results:
    def __init__(self, view: CatalogView, repo: TallyRepository, broker: NatsBroker, certifier: Certifier) -> None:
        self.view = view
        self.repo = repo
        self.broker = broker
        self.certifier = certifier

    async def leaderboard(self, q: LeaderboardQuery) -> Leaderboard:
        """Standings of one nomination; numbers hidden unless visible or asked for by an operator."""
        contest = self.view.contests.get(q.contest)
        if contest is None or contest.phase == "draft" or (q.contest, q.nomination) not in self.view.nominations:
            raise not_found("unknown_nomination", f"no nomination {q.nomination} in {q.contest}")
        tallies = await self.repo.tallies(q.contest, q.nomination)
        reveal = q.include_hidden or standings.publicly_visible(contest)
        return standings.build(self.view, contest, q.nomination, tallies, reveal=reveal)

    async def publish_live(self, contest: str, nomination: str) -> None:
        """Send the public snapshot of a nomination to live.leaderboard.<contest>.<nomination>."""
        contest_now = self.view.contests.get(contest)
        if contest_now is None or contest_now.phase == "draft":
            return  # nothing public yet
        board = await self.leaderboard(LeaderboardQuery(contest=contest, nomination=nomination))
        changed = LeaderboardChanged(**board.model_dump())
        await self.broker.publish(changed.model_dump_json().encode(), subjects.live_leaderboard(contest, nomination))

    async def contest_leaderboards(self, q: ContestQuery) -> list[Leaderboard]:
        """Standings of every nomination of a contest, in display order."""
        nominations = sorted(
            (n for (c, _), n in self.view.nominations.items() if c == q.contest and not n.archived),
            key=lambda n: (n.order, n.id),
        )
        return [
            await self.leaderboard(
                LeaderboardQuery(contest=q.contest, nomination=n.id, include_hidden=q.include_hidden)
            )
            for n in nominations
        ]

    async def certificate(self, q: ContestQuery) -> Certificate:
        """The certified final results of a contest (issued when its results are published)."""
        certificate = await self.certifier.get(q.contest)
        if certificate is None:
            raise not_found("not_certified", f"results of {q.contest} are not certified (not published yet)")
        return certificate
