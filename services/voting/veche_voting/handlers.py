"""Use cases of the voting service: cast a ballot, look up one's own ballot."""

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import Contest, Nomination, PracticeStatus
from veche_shared.contracts.common import new_id, utcnow
from veche_shared.contracts.votes import BallotAnnulment, CastAccepted, CastVote, MyBallot, MyBallotQuery, VoteCast
from veche_shared.errors import (
    AlreadyVoted,
    DomainError,
    DuplicateChoice,
    NotFound,
    NotVotable,
    TooFewChoices,
    TooManyChoices,
    UnknownContest,
    UnknownNomination,
    VotingClosed,
)
from veche_shared.tlog import receipt
from veche_shared.tlog.note import Signer
from veche_voting.identity import Identity
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import Rolls, SubjectTaken, VoteLedger


def receipt_seq(contest: Contest, seq: int) -> int | None:
    """The ledger position for the receipt, only while the contest shows results: it counts ballots."""
    return seq if contest.results_public() else None


class Voting:
    def __init__(
        self,
        catalog: CatalogView,
        ledger: VoteLedger,
        identity: Identity,
        metrics: VotingMetrics,
        rolls: Rolls,
        signer: Signer,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.signer = signer  # the log key: signs each ballot's receipt
        self.catalog = catalog
        self.ledger = ledger
        self.rolls = rolls
        self.identity = identity
        self.metrics = metrics
        self.clock = clock

    def contest(self, contest_id: str, nomination_id: str) -> Contest:
        return self._open(contest_id, nomination_id)[0]

    def _open(self, contest_id: str, nomination_id: str) -> tuple[Contest, Nomination]:
        contest = self.catalog.contests.get(contest_id)
        if contest is None or not contest.is_public():
            raise UnknownContest(contest_id)
        nomination = self.catalog.nominations.get((contest_id, nomination_id))
        if nomination is None or nomination.archived:
            raise UnknownNomination(contest_id, nomination_id)
        return contest, nomination

    def _check_open(self, contest: Contest, now: datetime) -> None:
        if not contest.accepts_votes(now):
            raise VotingClosed()

    def _check_choices(self, nomination: Nomination, chosen: list[str]) -> None:
        """The ballot is a set the nomination allows: distinct, between min and max choices, each votable."""
        if repeated := sorted(p for p, n in Counter(chosen).items() if n > 1):
            raise DuplicateChoice(repeated)
        if len(chosen) > nomination.max_choices:
            raise TooManyChoices(len(chosen), nomination.max_choices)
        if len(chosen) < nomination.min_choices:
            raise TooFewChoices(len(chosen), nomination.min_choices)
        for practice_id in chosen:
            practice = self.catalog.practices.get(practice_id)
            if practice is None or practice.contest != nomination.contest:
                raise NotVotable(practice_id, "unknown")
            if practice.nomination != nomination.id:
                raise NotVotable(practice_id, "other_nomination")
            if practice.status != PracticeStatus.approved:
                raise NotVotable(practice_id, "not_approved")

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
        contest, nomination = self._open(cmd.contest, cmd.nomination)
        self._check_open(contest, now)
        self._check_choices(nomination, cmd.practices)
        ballot = await self._ballot(contest, cmd, now)
        try:
            seq = await self.ledger.append(ballot)
        except SubjectTaken:
            return await self._retry_or_refuse(contest, ballot)
        self.metrics.accepted.labels(contest.identity_mode.value).inc()
        return CastAccepted(
            vote_id=ballot.vote_id,
            status="accepted",
            cast_at=now,
            sequence=receipt_seq(contest, seq),
            receipt=receipt.issue(ballot, self.signer),
        )

    async def _ballot(self, contest: Contest, cmd: CastVote, now: datetime) -> VoteCast:
        claims = await self.identity.claims(contest, cmd.token)
        if contest.roll_claim is not None:
            await self.rolls.admits(contest, claims)
        voter_hash = self.identity.hash_of(contest, claims)
        return VoteCast(
            vote_id=new_id(),
            contest=contest.id,
            nomination=cmd.nomination,
            practices=cmd.practices,
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
                vote_id=ballot.vote_id,
                status="retry",
                cast_at=ballot.cast_at,
                sequence=receipt_seq(contest, seq),
                receipt=receipt.issue(ballot, self.signer),
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
        why = None
        if annulled is not None:
            why = BallotAnnulment(
                annulment_id=annulled.annulment_id, reason=annulled.reason, occurred_at=annulled.occurred_at
            )
        signed = receipt.issue(ballot, self.signer)  # Ed25519 is deterministic: the vote's answer's receipt again
        return MyBallot.of(ballot, why, receipt=signed, sequence=receipt_seq(contest, sequence))
