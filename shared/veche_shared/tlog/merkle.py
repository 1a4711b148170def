"""RFC 9162 Merkle tree hashing and proofs over hashes kept in rows of tiles.

Row 0 holds the leaf hashes; row L + 1 holds the hash of each complete run of 256 hashes of row L, so every node of
the tree is at most 255 hashings away from stored hashes (C2SP tlog-tiles). `Rows` is how a tree reads them.
"""

import hashlib
from collections.abc import Sequence
from typing import Protocol

HASH_SIZE = 32
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
Hash = bytes


class ProofError(ValueError):
    """A proof, tree size or leaf index that does not hold."""


def leaf_hash(entry: bytes) -> Hash:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: Hash, right: Hash) -> Hash:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class Rows(Protocol):
    def row(self, level: int, start: int, end: int) -> Sequence[Hash]:
        """Stored hashes of row `level`, indexes [start, end); every one of them is complete."""
        ...


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 9162 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def fold(hashes: Sequence[Hash]) -> Hash:
    """The root of a complete subtree from its 2^k lowest hashes."""
    level = list(hashes)
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def subtree_hash(rows: Rows, start: int, end: int) -> Hash:
    """MTH(D[start:end]) as RFC 9162 defines it; start is aligned as the recursion of the RFC aligns it."""
    size = end - start
    if size <= 0:
        raise ProofError(f"empty range {start}..{end}")
    if size & (size - 1) == 0 and start % size == 0:
        height = size.bit_length() - 1
        level, rest = divmod(height, TILE_HEIGHT)
        first = start >> (level * TILE_HEIGHT)
        return fold(rows.row(level, first, first + (1 << rest)))
    k = split(size)
    return node_hash(subtree_hash(rows, start, start + k), subtree_hash(rows, start + k, end))


def tree_hash(rows: Rows, size: int) -> Hash:
    return EMPTY_ROOT if size == 0 else subtree_hash(rows, 0, size)


def inclusion_proof(rows: Rows, index: int, size: int) -> list[Hash]:
    """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    proof: list[Hash] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            proof.append(subtree_hash(rows, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(rows, start, start + k))
            start += k
    return proof[::-1]


def consistency_proof(rows: Rows, old: int, new: int) -> list[Hash]:
    """PROOF(old, D[0:new]) of RFC 9162 section 2.1.4.1; empty when old is 0 or old == new."""
    if not 0 <= old <= new:
        raise ProofError(f"no consistency proof from {old} to {new}")
    if old in (0, new):
        return []
    proof: list[Hash] = []
    start, end, complete = 0, new, True
    while True:
        if old - start == end - start:
            if not complete:
                proof.append(subtree_hash(rows, start, end))
            return proof[::-1]
        k = split(end - start)
        if old - start <= k:
            proof.append(subtree_hash(rows, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(rows, start, start + k))
            start, complete = start + k, False


def root_from_inclusion(index: int, size: int, leaf: Hash, proof: Sequence[Hash]) -> Hash:
    """The root that an inclusion proof leads to (RFC 9162 section 2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("inclusion proof too short")
    return r


def verify_inclusion(index: int, size: int, leaf: Hash, proof: Sequence[Hash], root: Hash) -> None:
    if root_from_inclusion(index, size, leaf, proof) != root:
        raise ProofError(f"leaf {index} is not in the tree of {size} with that root")


def verify_consistency(old: int, new: int, old_root: Hash, new_root: Hash, proof: Sequence[Hash]) -> None:
    """RFC 9162 section 2.1.4.2: the tree of `new` leaves extends the tree of `old` leaves."""
    if not 0 <= old <= new:
        raise ProofError(f"a tree of {new} cannot extend one of {old}")
    if old == new or old == 0:
        if proof or (old == new and old_root != new_root):
            raise ProofError("trees of equal size differ" if old == new else "proof from an empty tree must be empty")
        return
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    if not path:
        raise ProofError("consistency proof is empty")
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != old_root or sr != new_root:
        raise ProofError(f"the tree of {new} does not extend the tree of {old}")
