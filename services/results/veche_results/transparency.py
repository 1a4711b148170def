"""Public reads of the logs: the latest signed checkpoint, tiles and proofs, all bounded by a signed checkpoint.

While a contest's results are hidden nothing here answers: a checkpoint's size would tell the turnout.
"""

import base64
from collections.abc import Callable
from datetime import datetime

from veche_results.checkpoints import CheckpointHistory
from veche_results.tlog_store import Key, LogStore
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.tlog import (
    ConsistencyProof,
    ConsistencyQuery,
    CosignatureSubmit,
    InclusionProof,
    InclusionQuery,
    LeafIndex,
    LeafQuery,
    LogQuery,
    LogTile,
    SignedCheckpoint,
    TileQuery,
)
from veche_shared.errors import Forbidden, Invalid, NotFound, UnknownContest, UnknownNomination
from veche_shared.tlog.merkle import TILE_WIDTH, ProofError
from veche_shared.tlog.note import NoteError, Verifier, check_cosignature, split_note
from veche_shared.tlog.tiles import parse_tile_path

MAX_LEAF_SEARCH = 262_144  # entries read at most to find a leaf (1,024 tiles, 8 MiB; a 2 s gap is far fewer)


def _b64(hashes: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]


class Transparency:
    def __init__(
        self,
        view: CatalogView,
        logs: LogStore,
        history: CheckpointHistory,
        witnesses: list[Verifier],
        clock: Callable[[], datetime],
    ) -> None:
        self._witnesses = {w.name: w for w in witnesses}
        self._clock = clock
        self._view = view
        self._logs = logs
        self._history = history

    def _key(self, q: LogQuery) -> Key:
        contest = self._view.contests.get(q.contest)
        if contest is None or not contest.is_public():
            raise UnknownContest(q.contest)
        if (q.contest, q.nomination) not in self._view.nominations:
            raise UnknownNomination(q.contest, q.nomination)
        if not contest.results_public():
            raise NotFound("log_hidden", "the log is not public while the contest's results are hidden")
        return q.contest, q.nomination

    async def _signed(self, key: Key, size: int | None = None) -> SignedCheckpoint:
        found = await (self._history.latest(key) if size is None else self._history.at(key, size))
        if found is None:
            raise NotFound("no_checkpoint", "no signed checkpoint" + (f" of size {size}" if size else " yet"))
        return found

    async def checkpoint(self, q: LogQuery) -> SignedCheckpoint:
        """The latest signed checkpoint of a nomination's log, with its witnesses' cosignatures."""
        return await self._signed(self._key(q))

    async def tile(self, q: TileQuery) -> LogTile:
        """A C2SP hash tile of the log, as far as the latest signed checkpoint reaches."""
        key = self._key(q)
        try:
            tile = parse_tile_path(q.path)
        except ValueError as exc:
            raise Invalid("bad_tile_path", str(exc)) from None
        latest = await self._signed(key)
        try:
            data = await self._logs.tile(key, tile, latest.size)
        except ProofError as exc:
            raise NotFound("no_tile", str(exc)) from None
        return LogTile(data=base64.b64encode(data).decode(), full=tile.width == TILE_WIDTH)

    async def inclusion(self, q: InclusionQuery) -> InclusionProof:
        """The audit path of entry `index` to a signed checkpoint (the latest if no size is given)."""
        key = self._key(q)
        signed = await self._signed(key, q.size)
        if q.index >= signed.size:
            raise NotFound("not_in_log", f"entry {q.index} is not in the checkpoint of size {signed.size}")
        proof = await self._logs.inclusion(key, q.index, signed.size)
        return InclusionProof(
            index=q.index, size=signed.size, hashes=_b64(proof), checkpoint=signed.note, signed_at=signed.signed_at
        )

    async def leaf(self, q: LeafQuery) -> LeafIndex:
        """Where a ballot's leaf is: searched in the level-0 tiles between the signed checkpoints around its ledger
        sequence (2 s of the nomination's ballots at the signing cadence), so no index of ballots is kept."""
        key = self._key(q)
        start, end = await self._history.around(key, q.seq)
        if end is None:
            raise NotFound("not_in_log", "no signed checkpoint holds this ledger sequence yet: ask again in seconds")
        if end - start > MAX_LEAF_SEARCH:  # e.g. a backlog applied after an outage, signed as one checkpoint
            raise Invalid("search_too_wide", f"entries {start} to {end - 1} are too many to search: read the tiles")
        index = await self._logs.find_leaf(key, base64.b64decode(q.leaf), start, end)
        if index is None:
            raise NotFound("not_in_log", f"no entry with this leaf hash among entries {start} to {end - 1}")
        return LeafIndex(index=index, size=end)

    async def consistency(self, q: ConsistencyQuery) -> ConsistencyProof:
        """That the signed checkpoint of size `new` extends the tree of size `old` (a checkpoint or a board's head)."""
        key = self._key(q)
        if q.old > q.new:
            raise Invalid("bad_sizes", "old must not exceed new")
        await self._signed(key, q.new)
        return ConsistencyProof(old=q.old, new=q.new, hashes=_b64(await self._logs.consistency(key, q.old, q.new)))

    async def cosign(self, q: CosignatureSubmit) -> SignedCheckpoint:
        """Keep a configured witness's valid cosignature of a signed checkpoint (C2SP tlog-cosignature)."""
        key = self._key(q)
        signed = await self._signed(key, q.size)
        text = split_note(signed.note)[0]
        try:
            line = split_note(f"{text}\n{q.cosignature.rstrip(chr(10))}\n")[1][0]
        except NoteError as exc:
            raise Invalid("bad_cosignature", str(exc)) from None
        witness = self._witnesses.get(line.name)
        if witness is None:
            raise Forbidden("unknown_witness", f"{line.name} is not a witness of this platform")
        made = check_cosignature(text, line, witness)
        if made is None or made > self._clock().timestamp() + 60:
            raise Invalid("bad_cosignature", "the cosignature does not hold for this checkpoint")
        await self._history.add_cosignature(key, q.size, line.line)
        return await self._signed(key, q.size)
