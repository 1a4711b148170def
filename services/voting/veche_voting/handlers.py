"""Use cases of the voting service: cast a ballot, look up one's own ballot."""

from collections.abc import Callable
from datetime import datetime

from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import Contest, PracticeStatus
from veche_shared.contracts.common import new_id, utcnow
from veche_shared.contracts.votes import BallotAnnulment, CastAccepted, CastVote, MyBallot, MyBallotQuery, VoteCast
from veche_shared.errors import (
    AlreadyVoted,
    DomainError,
    NotFound,
    NotVotable,
    UnknownContest,
    UnknownNomination,
    VotingClosed,
)
from veche_voting.identity import Identity
from veche_voting.ledger import Ledger, SubjectTaken
from veche_voting.metrics import VotingMetrics


def receipt_seq(contest: Contest, seq: int) -> int | None:
    """The ledger position for the receipt, only while the contest shows results: it counts ballots."""
    return seq if contest.results_public() else None


class Voting:
    def __init__(
        self,
        catalog: CatalogView,
        ledger: Ledger,
        identity: Identity,
        metrics: VotingMetrics,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.catalog = catalog
        self.ledger = ledger
        self.identity = identity
        self.metrics = metrics
        self.clock = clock

    def contest(self, contest_id: str, nomination_id: str) -> Contest:
        contest = self.catalog.contests.get(contest_id)
        if contest is None or not contest.is_public():
            raise UnknownContest(contest_id)
        nomination = self.catalog.nominations.get((contest_id, nomination_id))
        if nomination is None or nomination.archived:
            raise UnknownNomination(contest_id, nomination_id)
        return contest

    def _check_open(self, contest: Contest, now: datetime) -> None:
        if not contest.accepts_votes(now):
            raise VotingClosed()

    def _check_votable(self, cmd: CastVote) -> None:
        practice = self.catalog.practices.get(cmd.practice)
        if (
            practice is None
            or practice.status != PracticeStatus.approved
            or (practice.contest, practice.nomination) != (cmd.contest, cmd.nomination)
        ):
            raise NotVotable()

    async def cast(self, cmd: CastVote) -> CastAccepted:
        """Check the rules and write the ballot: one atomic, durable publish."""
        try:
            accepted = await self._cast(cmd)
        except DomainError as exc:
            self.metrics.refused.labels(exc.code).inc()
            raise
        return accepted

    async def _cast(self, cmd: CastVote) -> CastAccepted:
        now = self.clock()
        contest = self.contest(cmd.contest, cmd.nomination)
        self._check_open(contest, now)
        self._check_votable(cmd)
        ballot = await self._ballot(contest, cmd, now)
        try:
            seq = await self.ledger.append(ballot)
        except SubjectTaken:
            return await self._retry_or_refuse(contest, ballot)
        self.metrics.accepted.labels(contest.identity_mode.value).inc()
        return CastAccepted(vote_id=ballot.vote_id, status="accepted", cast_at=now, sequence=receipt_seq(contest, seq))

    async def _ballot(self, contest: Contest, cmd: CastVote, now: datetime) -> VoteCast:
        voter_hash = await self.identity.voter_hash(contest, cmd.token)
        return VoteCast(
            vote_id=new_id(),
            contest=contest.id,
            nomination=cmd.nomination,
            practice=cmd.practice,
            voter_hash=voter_hash,
            identity_mode=contest.identity_mode,
            ip_hash=self.identity.keyed_hash("ip", cmd.client_ip) if cmd.client_ip else "",
            client_kind=cmd.client_kind,
            cast_at=now,
            idempotency_hash=self.identity.keyed_hash(voter_hash, cmd.idempotency_key) if cmd.idempotency_key else "",
        )

    async def _retry_or_refuse(self, contest: Contest, attempt: VoteCast) -> CastAccepted:
        stored = await self.ledger.ballot(attempt.contest, attempt.nomination, attempt.voter_hash)
        if stored and attempt.idempotency_hash and stored[0].idempotency_hash == attempt.idempotency_hash:
            ballot, seq = stored
            self.metrics.retries.inc()
            return CastAccepted(
                vote_id=ballot.vote_id, status="retry", cast_at=ballot.cast_at, sequence=receipt_seq(contest, seq)
            )
        raise AlreadyVoted()

    async def my_ballot(self, q: MyBallotQuery) -> MyBallot:
        """The caller's own ballot in a nomination, from the ledger, and whether an annulment took it out."""
        contest = self.contest(q.contest, q.nomination)
        stored = await self.ledger.ballot(contest.id, q.nomination, await self.identity.voter_hash(contest, q.token))
        if stored is None:
            raise NotFound("no_ballot", "no ballot of this voter in this nomination")
        ballot, sequence = stored
        annulled = await self.ledger.annulment_of(contest.id, q.nomination, sequence)
        if annulled is None:
            return MyBallot(**ballot.model_dump())
        why = BallotAnnulment(
            annulment_id=annulled.annulment_id, reason=annulled.reason, occurred_at=annulled.occurred_at
        )
        return MyBallot(**ballot.model_dump(), counted=False, annulment=why)
