"""Voter rolls in stream ROLL: keyed hashes of identifiers, in generations; the head names the one in force.

An entry is written with `Nats-Expected-Last-Subject-Sequence: 0`, so an identifier is on a generation once
however often it is uploaded. Replacing a roll writes a whole new generation and then moves the head, guarded by
the head's sequence as the uploader read it: a half-written upload is never in force, and two uploads at once
cannot both win. Once voting has begun a roll is only added to (the head's generation takes more entries).
"""

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from nats.js.errors import APIError, NoStreamResponseError, NotFoundError

from veche_shared import subjects
from veche_shared.audit import ServiceTrail
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import Contest, Phase
from veche_shared.contracts.roll import (
    AdminOrder,
    CommitRoll,
    RollEntriesWritten,
    RollHead,
    RollMode,
    RollQuery,
    RollState,
    WriteRollEntries,
)
from veche_shared.errors import Conflict, Forbidden, UnknownContest
from veche_shared.operators import OperatorKey, find_operator, holds
from veche_voting.identity import Identity
from veche_voting.ledger import WRONG_LAST_SEQUENCE, ledger_unavailable

BEFORE_VOTING = {Phase.draft, Phase.submissions_open}
FINAL = {Phase.voting_closed, Phase.results_published}
IN_FLIGHT = 256  # entry writes awaiting their acknowledgement at once


def not_on_roll() -> Forbidden:
    return Forbidden("not_on_roll", "this voter is not on the contest's voter roll")


class VoterRolls:
    def __init__(
        self,
        js: JetStreamContext,
        catalog: CatalogView,
        identity: Identity,
        operators: list[OperatorKey],
        clock: Callable[[], datetime],
        timeout: float,
        trail: ServiceTrail,
    ) -> None:
        self._js = js
        self._trail = trail
        self._catalog = catalog
        self._identity = identity
        self._operators = operators
        self._clock = clock
        self._timeout = timeout

    def entry_hash(self, contest: str, identifier: str) -> str:
        return self._identity.keyed_hash("roll", contest, identifier)

    async def admits(self, contest: Contest, claims: dict[str, Any]) -> None:
        """Refuse a voter whose roll claim is missing or not on the roll in force (403 not_on_roll)."""
        value = claims.get(contest.roll_claim or "")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise not_on_roll()
        head, _ = await self._head(contest.id)
        if head is None or not await self._has(contest.id, head.generation, self.entry_hash(contest.id, str(value))):
            raise not_on_roll()

    async def state(self, q: RollQuery) -> RollState:
        """The roll in force (its size, not its entries)."""
        contest = self._contest(q.contest)
        head, sequence = await self._head(contest.id)
        return RollState(contest=contest.id, claim=contest.roll_claim, head=head, head_sequence=sequence)

    async def write(self, cmd: WriteRollEntries) -> RollEntriesWritten:
        """Enter one part of an upload under its generation (recorded first: its size, never an identifier)."""
        operator = self._admin(cmd)
        contest = self._contest(cmd.contest)
        head, _ = await self._head(contest.id)
        self._check_change(contest, head, cmd.generation)
        limit = asyncio.Semaphore(IN_FLIGHT)

        async def enter(identifier: str) -> bool:
            async with limit:
                return await self._enter(contest.id, cmd.generation, self.entry_hash(contest.id, identifier))

        scope = {"contest": contest.id, "target": {"contest": contest.id, "generation": cmd.generation}}
        change = {"generation": cmd.generation, "identifiers": len(cmd.identifiers)}
        async with self._trail.change("RollEntriesWritten", **scope, change=change, operator=operator):
            entered = await asyncio.gather(*(enter(i) for i in cmd.identifiers))
        return RollEntriesWritten(written=sum(entered), already=len(entered) - sum(entered))

    async def commit(self, cmd: CommitRoll) -> RollHead:
        """Put the generation in force (replace) or count what was added to it (add)."""
        operator = self._admin(cmd)
        contest = self._contest(cmd.contest)
        head, sequence = await self._head(contest.id)
        self._check_change(contest, head, cmd.generation)
        if sequence != cmd.head_sequence:
            raise Conflict("roll_changed", "another upload changed the roll meanwhile; upload the file again")
        adding = head is not None and head.generation == cmd.generation
        entries = cmd.written + (head.entries if adding and head else 0)
        mode: RollMode = "add" if adding else "replace"
        new = RollHead(
            contest=contest.id,
            generation=cmd.generation,
            entries=entries,
            updated_at=self._clock(),
            updated_by=operator,
            mode=mode,
        )
        headers = {"Nats-Expected-Last-Subject-Sequence": str(sequence)}
        scope = {"contest": contest.id, "target": {"contest": contest.id, "generation": cmd.generation}}
        after = new.model_dump(mode="json")
        async with self._trail.change("RollCommitted", **scope, change={"mode": mode}, after=after, operator=operator):
            if not await self._publish(subjects.roll_head(contest.id), new.model_dump_json().encode(), headers):
                raise Conflict("roll_changed", "another upload changed the roll meanwhile; upload the file again")
        return new

    def _admin(self, cmd: AdminOrder) -> str:
        operator = find_operator(self._operators, cmd.operator_key)
        if operator is None or not holds(operator, "admin"):
            raise Forbidden("forbidden", "a voter roll is changed only with an admin's operator key")
        return operator.name

    def _contest(self, contest_id: str) -> Contest:
        contest = self._catalog.contests.get(contest_id)
        if contest is None:
            raise UnknownContest(contest_id)
        return contest

    def _check_change(self, contest: Contest, head: RollHead | None, generation: str) -> None:
        if contest.roll_claim is None:
            raise Conflict("no_roll_claim", "set the contest's roll_claim (identity mode jwt) before uploading a roll")
        if contest.phase in FINAL:
            raise Conflict("roll_final", f"the contest is in phase {contest.phase}: its roll no longer changes")
        replacing = head is not None and head.generation != generation
        if replacing and contest.phase not in BEFORE_VOTING:
            raise Conflict("roll_locked", "voting has begun: the roll can only be added to, not replaced")

    async def _head(self, contest: str) -> tuple[RollHead | None, int]:
        try:
            msg = await self._js.get_last_msg(subjects.ROLL_STREAM, subjects.roll_head(contest))
        except NotFoundError:
            return None, 0
        return RollHead.model_validate_json(msg.data or b""), int(msg.seq or 0)

    async def _has(self, contest: str, generation: str, entry: str) -> bool:
        try:
            await self._js.get_last_msg(subjects.ROLL_STREAM, subjects.roll_entry(contest, generation, entry))
        except NotFoundError:
            return False
        return True

    async def _enter(self, contest: str, generation: str, entry: str) -> bool:
        """Write an entry if its subject is empty; False if it was there already."""
        headers = {"Nats-Expected-Last-Subject-Sequence": "0"}
        return await self._publish(subjects.roll_entry(contest, generation, entry), b"", headers)

    async def _publish(self, subject: str, payload: bytes, headers: dict[str, str]) -> bool:
        """True once written; False if the guard refused it (the subject moved on)."""
        try:
            await self._js.publish(
                subject, payload, timeout=self._timeout, stream=subjects.ROLL_STREAM, headers=headers
            )
        except APIError as exc:
            if exc.err_code == WRONG_LAST_SEQUENCE:
                return False
            raise
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError, NoStreamResponseError):
            raise ledger_unavailable() from None
        return True
