"""Annulment: operators take fraudulent ballots out of the count with VotesAnnulled events in VOTES."""

from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from veche_shared.audit import ServiceTrail
from veche_shared.contracts.common import new_id, utcnow
from veche_shared.contracts.votes import AnnulledVote, AnnulmentReport, AnnulVotes, VoteCast, VotesAnnulled
from veche_shared.errors import Conflict, Forbidden
from veche_shared.operators import OperatorKey, find_operator, holds
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import AnnulmentLedger, SubjectMoved

ATTEMPTS = 5
CHUNK = 2_000  # ballots per VotesAnnulled: about 0.5 MB, under the server's 1 MB max_payload
Ballot = tuple[VoteCast, int]  # a ballot and its ledger sequence


class Annulments:
    def __init__(
        self,
        ledger: AnnulmentLedger,
        metrics: VotingMetrics,
        operators: list[OperatorKey],
        trail: ServiceTrail,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.ledger = ledger
        self.metrics = metrics
        self.operators = operators
        self.trail = trail
        self.clock = clock

    def _admin(self, cmd: AnnulVotes) -> AnnulVotes:
        """cmd with the name of the admin whose key it carries: whoever may send on the bus still needs one."""
        operator = find_operator(self.operators, cmd.operator_key)
        if operator is None or not holds(operator, "admin"):
            raise Forbidden("forbidden", "an annulment needs an admin's operator key")
        return cmd.model_copy(update={"operator": operator.name})

    async def annul(self, cmd: AnnulVotes) -> AnnulmentReport:
        """Annul the selected ballots that are not annulled yet; a dry run only counts them."""
        cmd = self._admin(cmd)
        for _ in range(ATTEMPTS):
            try:
                return await self._annul_once(cmd)
            except SubjectMoved:
                continue  # another annulment of the same nomination landed meanwhile: read the ledger again
        raise Conflict("annulment_conflict", "other annulments keep changing this contest; try again")

    async def _annul_once(self, cmd: AnnulVotes) -> AnnulmentReport:
        done, last_seq = await self._annulled(cmd.contest)
        chosen = [ballot async for ballot in self._select(cmd)]
        by_nomination: dict[str, list[Ballot]] = defaultdict(list)
        for vote, seq in chosen:
            if seq not in done:
                by_nomination[vote.nomination].append((vote, seq))
        report = AnnulmentReport(
            annulment_id=new_id(),
            dry_run=cmd.dry_run,
            matched=len(chosen),
            already_annulled=sum(seq in done for _, seq in chosen),
            annulled=sum(map(len, by_nomination.values())),
            by_nomination={n: len(b) for n, b in by_nomination.items()},
        )
        if cmd.dry_run or not report.annulled:
            return report
        change = cmd.model_dump(mode="json", exclude={"operator", "operator_key"}, exclude_none=True)
        after = report.model_dump(mode="json")
        scope = {"contest": cmd.contest, "target": {"contest": cmd.contest}}
        async with self.trail.change("BallotsAnnulled", **scope, change=change, after=after, operator=cmd.operator):
            for nomination, ballots in by_nomination.items():
                await self._write(cmd, report.annulment_id, nomination, ballots, last_seq.get(nomination, 0))
        return report

    async def _write(
        self, cmd: AnnulVotes, annulment_id: str, nomination: str, ballots: list[Ballot], after: int
    ) -> None:
        for part, start in enumerate(range(0, len(ballots), CHUNK)):
            chunk = ballots[start : start + CHUNK]
            event = self._event(cmd, f"{annulment_id}-{part}" if part else annulment_id, nomination, chunk)
            after = await self.ledger.append_annulment(event, after=after)
            self.metrics.annulled.inc(len(chunk))

    def _event(self, cmd: AnnulVotes, annulment_id: str, nomination: str, ballots: list[Ballot]) -> VotesAnnulled:
        return VotesAnnulled(
            annulment_id=annulment_id,
            contest=cmd.contest,
            nomination=nomination,
            votes=[
                AnnulledVote(vote_id=v.vote_id, practices=v.practices, voter_hash=v.voter_hash, sequence=seq)
                for v, seq in ballots
            ],
            reason=cmd.reason,
            operator=cmd.operator,
            occurred_at=self.clock(),
        )

    async def _annulled(self, contest: str) -> tuple[set[int], dict[str, int]]:
        """Sequences of ballots annulled so far, and the last annulment's sequence per nomination."""
        done: set[int] = set()
        last_seq: dict[str, int] = {}
        async for event, seq in self.ledger.annulments(contest):
            done.update(v.sequence for v in event.votes)
            last_seq[event.nomination] = seq
        return done, last_seq

    async def _select(self, cmd: AnnulVotes) -> AsyncIterator[Ballot]:
        wanted = set(cmd.vote_ids or ())
        async for vote, seq in self.ledger.ballots(cmd.contest, cmd.voter_hash):
            if _matches(cmd, vote, wanted):
                yield vote, seq


def _matches(cmd: AnnulVotes, vote: VoteCast, wanted: set[str]) -> bool:
    if cmd.vote_ids is not None:
        return vote.vote_id in wanted
    if cmd.voter_hash is not None:
        return True  # the subject filter selected them
    start, end = cmd.cast_from, cmd.cast_until  # the contract requires both with ip_hash
    return vote.ip_hash == cmd.ip_hash and start is not None and end is not None and start <= vote.cast_at < end
