"""Each nomination's transparency log in MongoDB: its tiles of hashes and its head, guarded by the last ledger
sequence appended (docs/adr/0010-transparency-log.md).

Tiles are written first and the head (size, last_seq) last, conditional on last_seq like the tallies' guard: a
batch redelivered after a crash appends nothing twice, and tile bytes past the head's size are rewritten with the
same hashes, since the ledger's order never changes. The frontier of each log (its partial tiles) stays in memory.
"""

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from veche_shared.tlog import merkle
from veche_shared.tlog.merkle import Hash, ProofError
from veche_shared.tlog.tiles import Frontier, TileId, partial_tiles, rows_from_tiles

Doc = dict[str, Any]
Key = tuple[str, str]  # (contest, nomination)
T = TypeVar("T")
FULL_TILE_CACHE = 4_096  # immutable full tiles kept in memory: 4,096 x 8 KiB = 32 MiB at most
SEARCH_CHUNK = 16  # level-0 tiles read at once while looking for a leaf (128 KiB)


@dataclass(frozen=True)
class Leaf:
    """One log entry's hash, appended at ledger sequence seq."""

    seq: int
    contest: str
    nomination: str
    hash: Hash


@dataclass(frozen=True)
class Head:
    size: int
    root: Hash
    last_seq: int


def _log_id(key: Key) -> str:
    return f"{key[0]}:{key[1]}"


def _tile_id(key: Key, level: int, index: int) -> str:
    return f"{key[0]}:{key[1]}:{level}:{index}"


class _Recorder:
    """Rows that note which tiles a computation reads (the recursion does not depend on the hashes)."""

    def __init__(self) -> None:
        self.tiles: set[tuple[int, int]] = set()

    def row(self, level: int, start: int, end: int) -> list[Hash]:
        for index in range(start // 256, (end - 1) // 256 + 1):
            self.tiles.add((level, index))
        return [bytes(32)] * (end - start)


class LogStore:
    def __init__(self, client: AsyncMongoClient[Doc], database: str) -> None:
        db = client[database]
        self.heads = db.log_heads
        self.tiles = db.log_tiles
        self._frontiers: dict[Key, Frontier] = {}
        self._last_seq: dict[Key, int] = {}
        self.committed: dict[Key, Head] = {}  # what MongoDB holds, for the checkpoint signer
        self._full: OrderedDict[str, bytes] = OrderedDict()
        self.writing = asyncio.Lock()  # held while a batch's tallies and log entries are written (sealing.py)

    async def ensure_indexes(self) -> None:
        await self.heads.create_index([("contest", ASCENDING), ("nomination", ASCENDING)], name="by_nomination")

    async def append(self, leaves: list[Leaf]) -> None:
        """Append leaves in ledger order; a leaf whose sequence its log has already appended is skipped."""
        by_key: dict[Key, list[Leaf]] = {}
        for leaf in leaves:
            by_key.setdefault((leaf.contest, leaf.nomination), []).append(leaf)
        await asyncio.gather(*(self._append_one(key, items) for key, items in by_key.items()))

    async def _append_one(self, key: Key, leaves: list[Leaf]) -> None:
        for _ in range(2):  # a second time after another writer's head was found (the cache was stale)
            if key not in self._frontiers:
                await self._load(key)
            fresh = [leaf for leaf in leaves if leaf.seq > self._last_seq[key]]
            if not fresh:
                return
            frontier = self._frontiers.pop(key)  # gone from the cache until MongoDB has the new head
            size = frontier.size
            changed = frontier.append(leaf.hash for leaf in fresh)
            await asyncio.gather(*(self._write_tile(key, tile, data) for tile, data in changed.items()))
            head = {"contest": key[0], "nomination": key[1], "size": frontier.size, "last_seq": fresh[-1].seq}
            try:
                await self.heads.update_one(
                    {"_id": _log_id(key), "last_seq": {"$lt": fresh[0].seq}, "size": size}, {"$set": head}, upsert=True
                )
            except DuplicateKeyError:
                continue
            self._frontiers[key], self._last_seq[key] = frontier, fresh[-1].seq
            self.committed[key] = Head(frontier.size, merkle.tree_hash(frontier, frontier.size), fresh[-1].seq)
            return
        raise RuntimeError(f"the log of {key} moved under this process: two writers?")

    async def _write_tile(self, key: Key, tile: TileId, data: bytes) -> None:
        fields = {"contest": key[0], "nomination": key[1], "level": tile.level, "index": tile.index, "hashes": data}
        await self.tiles.update_one({"_id": _tile_id(key, tile.level, tile.index)}, {"$set": fields}, upsert=True)

    async def _load(self, key: Key) -> None:
        doc = await self.heads.find_one({"_id": _log_id(key)})
        size, last_seq = (doc["size"], doc["last_seq"]) if doc else (0, 0)
        frontier = Frontier()
        if size:
            data = await self._read_tiles(key, {(t.level, t.index) for t in partial_tiles(size)})
            frontier = Frontier.load(size, lambda t: data[(t.level, t.index)])
        self._frontiers[key], self._last_seq[key] = frontier, last_seq
        self.committed[key] = Head(size, merkle.tree_hash(frontier, size), last_seq)

    async def head(self, key: Key, *, fresh: bool = False) -> Head:
        """The log's head; `fresh` reads MongoDB (another process may write this log)."""
        if fresh or key not in self.committed:
            await self._load(key)
        return self.committed[key]

    async def _read_tiles(self, key: Key, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        found: dict[tuple[int, int], bytes] = {}
        missing = []
        for level, index in wanted:
            cached = self._full.get(_tile_id(key, level, index))
            if cached is not None:
                found[(level, index)] = cached
            else:
                missing.append(_tile_id(key, level, index))
        # one lookup by _id each: FerretDB answers an _id $in by scanning the collection (bench/README.md)
        docs = await asyncio.gather(
            *(self.tiles.find_one({"_id": i}, {"level": 1, "index": 1, "hashes": 1}) for i in missing)
        )
        for doc in docs:
            if doc is None:
                continue
            data = bytes(doc["hashes"])
            found[(doc["level"], doc["index"])] = data
            if len(data) == 256 * 32:
                self._remember(doc["_id"], data)
        return found

    def _remember(self, tile_id: str, data: bytes) -> None:
        self._full[tile_id] = data
        if len(self._full) > FULL_TILE_CACHE:
            self._full.popitem(last=False)

    async def tile(self, key: Key, tile: TileId, size: int) -> bytes:
        """A tile as a tree of `size` leaves has it; ProofError when that tree has no such tile."""
        if tile.leaves_needed() > size:
            raise ProofError(f"{tile.path} is not a tile of the tree of {size}")
        data = (await self._read_tiles(key, {(tile.level, tile.index)})).get((tile.level, tile.index), b"")
        if len(data) < tile.width * 32:
            raise ProofError(f"{tile.path} is not stored")
        return data[: tile.width * 32]

    async def find_leaf(self, key: Key, leaf: Hash, start: int, end: int) -> int | None:
        """The index of `leaf` among entries [start, end) of the log, read from its level-0 tiles; None if absent."""
        first, last = start // 256, (end - 1) // 256
        for chunk in range(first, last + 1, SEARCH_CHUNK):
            indexes = range(chunk, min(chunk + SEARCH_CHUNK, last + 1))
            data = await self._read_tiles(key, {(0, index) for index in indexes})
            for index in indexes:
                hashes = data.get((0, index), b"")
                for n in range(max(start, index * 256), min(end, index * 256 + len(hashes) // 32)):
                    at = (n - index * 256) * 32
                    if hashes[at : at + 32] == leaf:
                        return n
        return None

    async def _computed(self, key: Key, compute: Callable[[merkle.Rows], T]) -> T:
        """compute over the stored tiles: run once to learn which tiles it reads, then on them."""
        recorder = _Recorder()
        compute(recorder)
        return compute(_Stored(await self._read_tiles(key, recorder.tiles)))

    async def root(self, key: Key, size: int) -> Hash:
        return await self._computed(key, lambda rows: merkle.tree_hash(rows, size))

    async def inclusion(self, key: Key, index: int, size: int) -> list[Hash]:
        return await self._computed(key, lambda rows: merkle.inclusion_proof(rows, index, size))

    async def consistency(self, key: Key, old: int, new: int) -> list[Hash]:
        return await self._computed(key, lambda rows: merkle.consistency_proof(rows, old, new))


class _Stored:
    def __init__(self, data: dict[tuple[int, int], bytes]) -> None:
        self._data = data

    def row(self, level: int, start: int, end: int) -> list[Hash]:
        def read(tile: TileId) -> bytes:
            data = self._data.get((tile.level, tile.index), b"")
            if len(data) < tile.width * 32:
                raise ProofError(f"{tile.path} is not stored")
            return data

        return rows_from_tiles(read, level, start, end)
