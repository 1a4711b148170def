"""C2SP tlog-tiles: tile paths, and the rows of tiles a log appends to and proofs read from.

A tile is 256 hashes of one row (a partial tile fewer, `.p/<width>`); tile (L, N) holds row L's hashes
[256 N, 256 N + width). Full tiles never change, so they are served with a long cache.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from veche_shared.tlog.merkle import HASH_SIZE, TILE_WIDTH, Hash, ProofError, fold

MAX_LEVEL = 63
_PATH = re.compile(
    r"^tile/(?P<level>[0-9]|[1-5][0-9]|6[0-3])/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})(?:\.p/(?P<w>[0-9]+))?$"
)


@dataclass(frozen=True, order=True)
class TileId:
    level: int
    index: int
    width: int = TILE_WIDTH

    @property
    def path(self) -> str:
        digits = f"{self.index:d}"
        digits = digits.zfill(-(-len(digits) // 3) * 3)
        groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
        encoded = "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])
        partial = f".p/{self.width}" if self.width < TILE_WIDTH else ""
        return f"tile/{self.level}/{encoded}{partial}"

    def leaves_needed(self) -> int:
        """The smallest tree size in which this tile exists with this width."""
        return (self.index * TILE_WIDTH + self.width) << (8 * self.level)


def parse_tile_path(path: str) -> TileId:
    """`tile/<L>/<N>[.p/<W>]` as C2SP tlog-tiles spells it; a ValueError for anything else."""
    match = _PATH.match(path)
    if not match:
        raise ValueError(f"not a tile path: {path!r}")
    width = int(match["w"]) if match["w"] is not None else TILE_WIDTH
    if not 0 < width <= TILE_WIDTH or (match["w"] is not None and width == TILE_WIDTH):
        raise ValueError(f"a partial tile has 1 to 255 hashes, not {width}")
    groups = match["index"].split("/")
    if len(groups) > 1 and groups[0] == "x000":
        raise ValueError("a tile index has no leading zero group")
    return TileId(int(match["level"]), int("".join(g.lstrip("x") for g in groups)), width)


def row_length(size: int, level: int) -> int:
    """How many complete hashes row `level` has in a tree of `size` leaves."""
    return size >> (8 * level)


def tiles_of(size: int) -> list[TileId]:
    """Every tile of a tree of `size` leaves, partial tiles included."""
    found = []
    level = 0
    while (n := row_length(size, level)) > 0:
        found += [TileId(level, i) for i in range(n // TILE_WIDTH)]
        if n % TILE_WIDTH:
            found.append(TileId(level, n // TILE_WIDTH, n % TILE_WIDTH))
        level += 1
    return found


def partial_tiles(size: int) -> list[TileId]:
    """The partial tile of every row of a tree of `size` leaves (the rows whose length is not a multiple of 256)."""
    found = []
    level = 0
    while (n := row_length(size, level)) > 0:
        if n % TILE_WIDTH:
            found.append(TileId(level, n // TILE_WIDTH, n % TILE_WIDTH))
        level += 1
    return found


def split_hashes(data: bytes) -> list[Hash]:
    if len(data) % HASH_SIZE:
        raise ProofError(f"a tile of {len(data)} bytes is not whole hashes")
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


@dataclass
class Frontier:
    """The partial tile of every row: all a log needs in memory to append (at most 255 hashes per row)."""

    size: int = 0
    partial: dict[int, list[Hash]] = field(default_factory=dict)

    @classmethod
    def load(cls, size: int, read_tile: Callable[[TileId], bytes]) -> "Frontier":
        """The frontier of a stored tree of `size` leaves; read_tile answers a tile's bytes (perhaps more)."""
        partial = {t.level: split_hashes(read_tile(t)[: t.width * HASH_SIZE]) for t in partial_tiles(size)}
        return cls(size, partial)

    def row(self, level: int, start: int, end: int) -> Sequence[Hash]:
        """Hashes of the partial tiles: enough for the root of the tree of `size` leaves (merkle.Rows)."""
        partial = self.partial.get(level, [])
        first = row_length(self.size, level) - len(partial)
        if start < first or end > first + len(partial):
            raise ProofError(f"row {level} [{start}, {end}) is not in the frontier")
        return partial[start - first : end - first]

    def append(self, leaves: Iterable[Hash]) -> dict[TileId, bytes]:
        """Appends leaf hashes; answers the tiles that changed, by their position (width = what they hold now)."""
        touched: dict[tuple[int, int], list[Hash]] = {}
        for leaf in leaves:
            self.size += 1
            level, value = 0, leaf
            while True:
                row = self.partial.setdefault(level, [])
                row.append(value)
                touched[(level, (row_length(self.size, level) - 1) // TILE_WIDTH)] = row
                if len(row) < TILE_WIDTH:
                    break
                self.partial[level] = []
                level, value = level + 1, fold(row)
        return {TileId(lv, i, len(r)): b"".join(r) for (lv, i), r in touched.items()}


class MemoryRows:
    """Every row of a tree in memory: for tests, `veche verify` and `veche witness`."""

    def __init__(self, leaves: Sequence[Hash] = ()) -> None:
        self.frontier = Frontier()
        self.tiles: dict[tuple[int, int], bytes] = {}
        self.append(leaves)

    @property
    def size(self) -> int:
        return self.frontier.size

    def append(self, leaves: Iterable[Hash]) -> None:
        for tile, data in self.frontier.append(leaves).items():
            self.tiles[(tile.level, tile.index)] = data

    def tile(self, tile: TileId) -> bytes:
        data = self.tiles.get((tile.level, tile.index), b"")
        if len(data) < tile.width * HASH_SIZE:
            raise ProofError(f"{tile.path} is not in a tree of {self.size}")
        return data[: tile.width * HASH_SIZE]

    def row(self, level: int, start: int, end: int) -> Sequence[Hash]:
        return rows_from_tiles(self.tile, level, start, end)


def rows_from_tiles(read: Callable[[TileId], bytes], level: int, start: int, end: int) -> list[Hash]:
    """Hashes [start, end) of row `level`, read from the tiles that hold them."""
    found: list[Hash] = []
    for index in range(start // TILE_WIDTH, (end - 1) // TILE_WIDTH + 1):
        first, last = max(start, index * TILE_WIDTH), min(end, (index + 1) * TILE_WIDTH)
        data = read(TileId(level, index, last - index * TILE_WIDTH))
        found += split_hashes(data[(first - index * TILE_WIDTH) * HASH_SIZE : (last - index * TILE_WIDTH) * HASH_SIZE])
    return found
