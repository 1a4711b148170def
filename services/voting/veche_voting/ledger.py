"""The vote ledger in stream VOTES: one subject per voter per contest, compare-and-set appends.

A voter's ballots in a contest are appended one by one to their subject. Each append names the subject's last
sequence as this writer read it (Nats-Expected-Last-Subject-Sequence) and carries the nominations the voter has
voted in so far (header Veche-Voted), so nats-server accepts a ballot only on the exact state it was decided on:
of two ballots racing for one nomination, the second is refused by the server and, read again, finds the
nomination taken (docs/adr/0013-voter-ledger-subjects.md).
"""

import time
from collections.abc import AsyncIterator

import nats.errors
from nats.js import JetStreamContext
from nats.js.errors import APIError, NoStreamResponseError, NotFoundError

from veche_shared import stream_read, subjects
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.errors import Unavailable
from veche_shared.logs import request_id_var
from veche_shared.rpc import REQUEST_ID_HEADER
from veche_shared.stream_read import Stored
from veche_voting.metrics import VotingMetrics
from veche_voting.ports import SubjectMoved, SubjectTaken

WRONG_LAST_SEQUENCE = 10071
SCAN_BATCH = 1_000
RACES = 16  # appends of one voter that lost a race to another of their ballots before this one gives up


def ledger_unavailable() -> Unavailable:
    return Unavailable("ledger_unavailable", "the vote ledger did not answer; try again")


class Ledger:
    """The VoteLedger and AnnulmentLedger ports on stream VOTES."""

    def __init__(self, js: JetStreamContext, timeout: float, metrics: VotingMetrics) -> None:
        self._js = js
        self._timeout = timeout
        self._metrics = metrics

    async def append(self, ballot: VoteCast) -> int:
        """Append the ballot to its voter's subject unless the voter has voted in its nomination; return its
        stream sequence. SubjectTaken when the nomination is taken."""
        subject = subjects.vote_cast(ballot.contest, ballot.voter_hash)
        payload = ballot.model_dump_json().encode()
        started = time.perf_counter()
        try:
            for race in range(RACES):
                last, voted = await self._voter_state(subject, direct=race == 0)
                if ballot.nomination in voted:
                    raise SubjectTaken
                headers = {
                    "Nats-Expected-Last-Subject-Sequence": str(last),
                    subjects.VOTED_HEADER: subjects.voted_header([*voted, ballot.nomination]),
                }
                try:
                    return await self._publish(subject, payload, headers)
                except SubjectMoved:
                    continue  # another ballot of this voter landed after our read: read again, from the leader
            raise Unavailable("ledger_unavailable", "this voter's ballots keep racing each other; try again")
        finally:
            self._metrics.publish_seconds.observe(time.perf_counter() - started)

    async def _voter_state(self, subject: str, *, direct: bool) -> tuple[int, list[str]]:
        """The last sequence of a voter's subject (0: none) and the nominations voted on it. A direct get may be
        answered by a replica a moment behind: the compare-and-set refuses a write based on it, and the next
        read goes to the stream's leader."""
        try:
            msg = await self._js.get_last_msg(subjects.VOTES_STREAM, subject, direct=direct)
        except NotFoundError:
            return 0, []
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError):
            raise ledger_unavailable() from None
        except APIError as exc:
            if exc.code == 503:
                raise ledger_unavailable() from None
            raise
        return msg.seq or 0, subjects.voted_nominations((msg.headers or {}).get(subjects.VOTED_HEADER))

    async def append_annulment(self, event: VotesAnnulled, after: int) -> int:
        """Write an annulment if no other annulment of its nomination came after sequence `after`."""
        subject = subjects.votes_annulled(event.contest, event.nomination, event.annulment_id)
        headers = {
            "Nats-Msg-Id": f"{event.annulment_id}-{event.nomination}",
            "Nats-Expected-Last-Subject-Sequence": str(after),
            "Nats-Expected-Last-Subject-Sequence-Subject": subjects.contest_annulments(event.contest, event.nomination),
        }
        return await self._publish(subject, event.model_dump_json().encode(), headers)

    async def _publish(self, subject: str, payload: bytes, headers: dict[str, str]) -> int:
        headers[REQUEST_ID_HEADER] = request_id_var.get()
        try:
            ack = await self._js.publish(
                subject, payload, timeout=self._timeout, stream=subjects.VOTES_STREAM, headers=headers
            )
        except APIError as exc:
            if exc.err_code == WRONG_LAST_SEQUENCE:
                raise SubjectMoved from None
            if exc.code == 503:  # e.g. the stream is electing a new leader after a node died
                raise ledger_unavailable() from None
            raise
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError, NoStreamResponseError):
            # nats-py reports "no responders" on a JetStream publish as NoStreamResponseError: no stream leader yet
            raise ledger_unavailable() from None
        return ack.seq

    async def ballot(self, contest: str, nomination: str, voter_hash: str) -> tuple[VoteCast, int] | None:
        """The voter's ballot in a nomination and its sequence, if any: the voter's subject holds one message per
        nomination voted, read one after another from the leader."""
        subject = subjects.vote_cast(contest, voter_hash)
        last, voted = await self._voter_state(subject, direct=False)
        seq = 1
        while nomination in voted and seq <= last:
            msg = await self._js.get_msg(subjects.VOTES_STREAM, seq, subject=subject, next=True)
            ballot = VoteCast.model_validate_json(msg.data or b"")
            if ballot.nomination == nomination:
                return ballot, msg.seq or 0
            seq = (msg.seq or last) + 1
        return None

    async def ballots(self, contest: str, voter_hash: str | None = None) -> AsyncIterator[tuple[VoteCast, int]]:
        async for msg in self.scan(subjects.contest_ballots(contest, voter_hash)):
            yield VoteCast.model_validate_json(msg.data), msg.seq

    async def annulments(self, contest: str) -> AsyncIterator[tuple[VotesAnnulled, int]]:
        async for msg in self.scan(subjects.contest_annulments(contest)):
            yield VotesAnnulled.model_validate_json(msg.data), msg.seq

    async def annulment_of(self, contest: str, nomination: str, sequence: int) -> VotesAnnulled | None:
        """The annulment that took the ballot at `sequence` out of the count, if one did."""
        async for msg in self.scan(subjects.contest_annulments(contest, nomination)):
            event = VotesAnnulled.model_validate_json(msg.data)
            if any(vote.sequence == sequence for vote in event.votes):
                return event
        return None

    async def scan(self, filter_subject: str) -> AsyncIterator[Stored]:
        """Every message on the filter, oldest first, up to the end of the stream as it is now (by direct get:
        no consumer, docs/adr/0014-provisioned-bus.md)."""
        nc = stream_read.connection_of(self._js)
        try:
            async for found in stream_read.batches(
                nc, subjects.VOTES_STREAM, filter_subject, size=SCAN_BATCH, timeout=self._timeout
            ):
                for msg in found:
                    yield msg
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError):
            raise ledger_unavailable() from None
