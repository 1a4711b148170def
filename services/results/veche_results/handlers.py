"""Queries of the results service and the live snapshot they share."""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from veche_results import standings
from veche_results.ports import CertificateStore, LiveBoards, Sealing, Tallies
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.results import (
    BallotPage,
    BallotPageQuery,
    Certificate,
    ContestQuery,
    ContestTotals,
    Leaderboard,
    LeaderboardChanged,
    LeaderboardQuery,
    MinutePoint,
    MunicipalityTotal,
    MunicipalityTotals,
    RecountReport,
    TimeSeries,
    TimeSeriesQuery,
)
from veche_shared.contracts.texts import UNDETERMINED
from veche_shared.errors import NotFound, Unavailable, UnknownContest, UnknownNomination


class Results:
    def __init__(
        self,
        view: CatalogView,
        repo: Tallies,
        live: LiveBoards,
        certificates: CertificateStore,
        recounter: Callable[[str], Awaitable[RecountReport]],
        ballot_pages: Callable[[Certificate, BallotPageQuery], Awaitable[BallotPage]],
        clock: Callable[[], datetime],
        sealer: Sealing,
    ) -> None:
        self.view = view
        self._sealer = sealer
        self.repo = repo
        self._live = live
        self.certificates = certificates
        self._recounter = recounter
        self._ballot_pages = ballot_pages
        self.clock = clock

    def _contest(self, contest_id: str, nomination: str | None = None) -> Contest:
        contest = self.view.contests.get(contest_id)
        if contest is None or not contest.is_public():
            raise UnknownContest(contest_id)
        if nomination is not None and (contest_id, nomination) not in self.view.nominations:
            raise UnknownNomination(contest_id, nomination)
        return contest

    async def leaderboard(self, q: LeaderboardQuery) -> Leaderboard:
        """Standings of one nomination; numbers hidden unless visible or asked for by an operator."""
        contest = self._contest(q.contest, q.nomination)
        reveal = q.include_hidden or contest.results_public()
        tallies = await self.repo.tallies_of(q.contest, q.nomination)
        now, last_hour = self.clock(), dict[str, int]()
        ballots = 0
        if reveal:
            for bucket in await self.repo.minutes_of(q.contest, q.nomination, now - timedelta(hours=1)):
                last_hour[bucket.practice] = last_hour.get(bucket.practice, 0) + bucket.votes
            nomination = self.view.nominations.get((q.contest, q.nomination))
            if nomination is not None and nomination.approval:  # a single choice's ballots are its votes
                ballots = await self.repo.ballots_of(q.contest, q.nomination)
        return standings.build(
            self.view, contest, q.nomination, tallies, reveal=reveal, at=now, ballots=ballots, last_hour=last_hour
        )

    async def sealed_leaderboard(self, q: LeaderboardQuery) -> Leaderboard:
        """The public board of a nomination whose log this process writes, sealed with its log head."""
        public = LeaderboardQuery(contest=q.contest, nomination=q.nomination)  # a seal is for what the public sees
        board = await self._sealer.seal(q.contest, q.nomination, partial(self.leaderboard, public))
        if board is None:  # asked on a partition this process does not own: a deployment's mistake
            raise Unavailable("service_unavailable", f"this process does not write the log of {q.contest}")
        return board

    async def publish_live(self, contest: str, nomination: str) -> None:
        """Send the public snapshot of a nomination to live.leaderboard.<contest>.<nomination>."""
        contest_now = self.view.contests.get(contest)
        if contest_now is None or not contest_now.is_public():
            return  # nothing public yet
        build = partial(self.leaderboard, LeaderboardQuery(contest=contest, nomination=nomination))
        board = await self._sealer.seal(contest, nomination, build)
        if board is None:
            return  # another process writes this nomination's log: it sends the board
        await self._live.send(LeaderboardChanged(**board.model_dump()))

    async def contest_leaderboards(self, q: ContestQuery) -> list[Leaderboard]:
        """Standings of every nomination of a contest, in display order."""
        self._contest(q.contest)
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

    async def contest_totals(self, q: ContestQuery) -> ContestTotals:
        """Votes per nomination and in all."""
        contest = self._contest(q.contest)
        if not (q.include_hidden or contest.results_public()):
            return ContestTotals(contest=contest.id, visible=False, total_votes=0, nominations={})
        per_nomination: dict[str, int] = {}
        for (nomination, _), votes in (await self.repo.contest_counts(contest.id)).items():
            per_nomination[nomination] = per_nomination.get(nomination, 0) + votes
        counted = await self.repo.contest_ballots(contest.id)
        ballots = {  # a single choice's ballots are its votes (and read models from before sets count no ballots)
            n: counted.get(n, 0) if (found := self.view.nominations.get((contest.id, n))) and found.approval else v
            for n, v in per_nomination.items()
        }
        total = sum(per_nomination.values())
        return ContestTotals(
            contest=contest.id, visible=True, total_votes=total, nominations=per_nomination, ballots=ballots
        )

    async def municipality_totals(self, q: ContestQuery) -> MunicipalityTotals:
        """Votes for each municipality's practices across the contest (the map)."""
        contest = self._contest(q.contest)
        if not (q.include_hidden or contest.results_public()):
            return MunicipalityTotals(contest=contest.id, visible=False, municipalities=[])
        votes: dict[str, int] = {}
        for (_, practice_id), count in (await self.repo.contest_counts(contest.id)).items():
            practice = self.view.practices.get(practice_id)
            if practice is not None:
                votes[practice.municipality] = votes.get(practice.municipality, 0) + count
        totals = []
        for municipality_id in sorted(
            {p.municipality for p in self.view.practices.values() if p.contest == contest.id and p.status == "approved"}
        ):
            m = self.view.municipalities.get(municipality_id)
            totals.append(
                MunicipalityTotal(
                    municipality=municipality_id,
                    name=m.name if m else {UNDETERMINED: municipality_id},
                    lat=m.lat if m else 0.0,
                    lon=m.lon if m else 0.0,
                    votes=max(votes.get(municipality_id, 0), 0),
                )
            )
        return MunicipalityTotals(contest=contest.id, visible=True, municipalities=totals)

    async def timeseries(self, q: TimeSeriesQuery) -> TimeSeries:
        """Net votes per minute in a nomination, for charts."""
        contest = self._contest(q.contest, q.nomination)
        if not (q.include_hidden or contest.results_public()):
            return TimeSeries(contest=contest.id, nomination=q.nomination, visible=False, points=[])
        per_minute: dict[datetime, int] = {}
        for bucket in await self.repo.minutes_of(q.contest, q.nomination, self.clock() - timedelta(minutes=q.minutes)):
            per_minute[bucket.minute] = per_minute.get(bucket.minute, 0) + bucket.votes
        points = [MinutePoint(minute=m, votes=v) for m, v in sorted(per_minute.items())]
        return TimeSeries(contest=contest.id, nomination=q.nomination, visible=True, points=points)

    async def recount(self, q: ContestQuery) -> RecountReport:
        """Replay the contest's ledger into fresh collections and list every difference with the live counts."""
        self._contest(q.contest)
        return await self._recounter(q.contest)

    async def certificate(self, q: ContestQuery) -> Certificate:
        """The certified final results of a contest (issued when its results are published)."""
        certificate = await self.certificates.get(q.contest)
        if certificate is None:
            raise NotFound("not_certified", f"results of {q.contest} are not certified (not published yet)")
        return certificate

    async def ballots(self, q: BallotPageQuery) -> BallotPage:
        """A page of a certified contest's counted ballots in ledger order (the export; 404 until certified)."""
        return await self._ballot_pages(await self.certificate(ContestQuery(contest=q.contest)), q)
