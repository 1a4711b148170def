"""The vote ledger in stream VOTES: one subject per voter and nomination, first write wins."""

from nats.js import JetStreamContext
from nats.js.errors import APIError, NotFoundError

from veche_shared import subjects
from veche_shared.contracts.votes import VoteCast

WRONG_LAST_SEQUENCE = 10071


class AlreadyVoted(Exception):
    pass


class Ledger:
    def __init__(self, js: JetStreamContext, timeout: float) -> None:
        self._js = js
        self._timeout = timeout

    async def append(self, ballot: VoteCast) -> int:
        """Write the ballot if the voter's subject is empty; return its stream sequence."""
        subject = subjects.vote_cast(ballot.contest, ballot.nomination, ballot.voter_hash)
        headers = {"Nats-Expected-Last-Subject-Sequence": "0", "Nats-Msg-Id": ballot.vote_id}
        try:
            ack = await self._js.publish(
                subject,
                ballot.model_dump_json().encode(),
                timeout=self._timeout,
                stream=subjects.VOTES_STREAM,
                headers=headers,
            )
        except APIError as exc:
            if exc.err_code == WRONG_LAST_SEQUENCE:
                raise AlreadyVoted from None
            raise
        return ack.seq

    async def ballot(self, contest: str, nomination: str, voter_hash: str) -> tuple[VoteCast, int] | None:
        """The voter's ballot in a nomination and its sequence, if any."""
        subject = subjects.vote_cast(contest, nomination, voter_hash)
        try:
            msg = await self._js.get_last_msg(subjects.VOTES_STREAM, subject)
        except NotFoundError:
            return None
        return VoteCast.model_validate_json(msg.data or b""), msg.seq or 0
