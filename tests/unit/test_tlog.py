"""The transparency log's pure parts against the definitions of RFC 9162 and the C2SP specifications."""

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from veche_shared.tlog import merkle, note
from veche_shared.tlog.entry import Entry, Kind, cast_entry, count
from veche_shared.tlog.merkle import ProofError
from veche_shared.tlog.tiles import Frontier, MemoryRows, TileId, parse_tile_path, tiles_of


def leaves(n: int, salt: str = "") -> list[bytes]:
    return [merkle.leaf_hash(f"{salt}entry {i}".encode()) for i in range(n)]


def mth(hashes: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.1, literally."""
    if len(hashes) == 1:
        return hashes[0]
    k = merkle.split(len(hashes))
    return merkle.node_hash(mth(hashes[:k]), mth(hashes[k:]))


def path(m: int, hashes: list[bytes]) -> list[bytes]:
    """RFC 9162 section 2.1.3.1, literally."""
    if len(hashes) == 1:
        return []
    k = merkle.split(len(hashes))
    return [*path(m, hashes[:k]), mth(hashes[k:])] if m < k else [*path(m - k, hashes[k:]), mth(hashes[:k])]


def subproof(m: int, hashes: list[bytes], complete: bool) -> list[bytes]:
    """RFC 9162 section 2.1.4.1, literally."""
    n = len(hashes)
    if m == n:
        return [] if complete else [mth(hashes)]
    k = merkle.split(n)
    if m <= k:
        return [*subproof(m, hashes[:k], complete), mth(hashes[k:])]
    return [*subproof(m - k, hashes[k:], False), mth(hashes[:k])]


def test_hashing_is_rfc_9162s() -> None:
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert merkle.tree_hash(MemoryRows(), 0) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 255, 256, 257, 511, 700])
def test_roots_and_proofs_match_the_rfc_definitions(size: int) -> None:
    hashes = leaves(size)
    rows = MemoryRows(hashes)
    root = merkle.tree_hash(rows, size)
    assert root == mth(hashes)
    for m in {0, 1, size // 2, size - 1} & set(range(size)):
        proof = merkle.inclusion_proof(rows, m, size)
        assert proof == path(m, hashes)
        merkle.verify_inclusion(m, size, hashes[m], proof, root)
    for old in {1, 2, 3, size // 3, size - 1, size} & set(range(1, size + 1)):
        proof = merkle.consistency_proof(rows, old, size)
        assert proof == (subproof(old, hashes, True) if old < size else [])
        merkle.verify_consistency(old, size, mth(hashes[:old]), root, proof)


def test_every_pair_of_small_trees_is_consistent_and_every_leaf_included() -> None:
    hashes = leaves(40)
    rows = MemoryRows(hashes)
    roots = [merkle.tree_hash(rows, n) for n in range(41)]
    for new in range(1, 41):
        for old in range(new + 1):
            merkle.verify_consistency(old, new, roots[old], roots[new], merkle.consistency_proof(rows, old, new))
        for m in range(new):
            merkle.verify_inclusion(m, new, hashes[m], merkle.inclusion_proof(rows, m, new), roots[new])


def test_a_tree_past_two_levels_of_tiles_reads_the_upper_rows() -> None:
    size = 256 * 256 + 300
    hashes = leaves(size)
    rows = MemoryRows(hashes)
    assert (2, 0) in rows.tiles
    assert len(rows.tiles[(2, 0)]) == 32
    assert rows.tiles[(2, 0)] == mth(hashes[: 256 * 256])
    root = merkle.tree_hash(rows, size)
    reference = merkle.node_hash(rows.tiles[(2, 0)], mth(hashes[256 * 256 :]))
    assert root == reference
    merkle.verify_inclusion(65_700, size, hashes[65_700], merkle.inclusion_proof(rows, 65_700, size), root)


def test_forged_proofs_are_refused() -> None:
    hashes = leaves(20)
    rows = MemoryRows(hashes)
    root = merkle.tree_hash(rows, 20)
    proof = merkle.inclusion_proof(rows, 7, 20)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(7, 20, hashes[8], proof, root)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(7, 20, hashes[7], proof[:-1], root)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(7, 20, hashes[7], [*proof, proof[0]], root)
    bad = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
    with pytest.raises(ProofError):
        merkle.verify_inclusion(7, 20, hashes[7], bad, root)
    other = MemoryRows([*hashes[:10], merkle.leaf_hash(b"rewritten"), *hashes[11:]])
    cons = merkle.consistency_proof(rows, 12, 20)
    with pytest.raises(ProofError):
        merkle.verify_consistency(12, 20, merkle.tree_hash(other, 12), root, cons)
    with pytest.raises(ProofError):
        merkle.verify_consistency(12, 20, merkle.tree_hash(rows, 12), merkle.tree_hash(other, 20), cons)
    with pytest.raises(ProofError):
        merkle.inclusion_proof(rows, 20, 20)


def test_the_frontier_appends_in_batches_as_one_tree() -> None:
    hashes = leaves(1000)
    whole = MemoryRows(hashes)
    stored: dict[tuple[int, int], bytes] = {}
    frontier = Frontier()
    for start in range(0, 1000, 137):
        frontier = Frontier.load(frontier.size, lambda t: stored[(t.level, t.index)])  # as after a restart
        for tile, data in frontier.append(hashes[start : start + 137]).items():
            assert len(data) == tile.width * 32
            stored[(tile.level, tile.index)] = data
    assert stored == whole.tiles
    assert [t.path for t in tiles_of(1000)] == [
        "tile/0/000",
        "tile/0/001",
        "tile/0/002",
        "tile/0/003.p/232",
        "tile/1/000.p/3",
    ]


@pytest.mark.parametrize(
    ("tile", "spelled"),
    [
        (TileId(0, 0), "tile/0/000"),
        (TileId(0, 1234067), "tile/0/x001/x234/067"),
        (TileId(1, 5, 17), "tile/1/005.p/17"),
        (TileId(3, 1000), "tile/3/x001/000"),
    ],
)
def test_tile_paths_are_c2sps(tile: TileId, spelled: str) -> None:
    assert tile.path == spelled
    assert parse_tile_path(spelled) == tile


@pytest.mark.parametrize(
    "bad",
    [
        "tile/0/1",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/64/000",
        "tile/0/x000/001",
        "tile/entries/000",
        "tile/0/000/",
        "../tile/0/000",
    ],
)
def test_malformed_tile_paths_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="tile"):
        parse_tile_path(bad)


def test_a_signed_checkpoint_opens_with_its_key_only() -> None:
    signer = note.Signer.generate("veche.example/forum/diplomacy")
    checkpoint = note.Checkpoint("veche.example/forum/diplomacy", 12, merkle.leaf_hash(b"x"))
    signed = note.sign_note(checkpoint.text, signer)
    verifier = note.Verifier.parse(signer.verifier.vkey)
    assert note.Signer.parse(signer.skey) == signer
    opened, sigs = note.open_checkpoint(signed, verifier, checkpoint.origin)
    assert opened == checkpoint
    assert len(sigs) == 1
    assert signed.startswith("veche.example/forum/diplomacy\n12\n")
    assert "\n\n\u2014 veche.example/forum/diplomacy " in signed
    with pytest.raises(note.NoteError):
        note.open_checkpoint(signed.replace("\n12\n", "\n13\n"), verifier, checkpoint.origin)
    with pytest.raises(note.NoteError):
        note.open_checkpoint(signed, note.Signer.generate(checkpoint.origin).verifier, checkpoint.origin)
    with pytest.raises(note.NoteError):
        note.open_checkpoint(signed, verifier, "veche.example/forum/other")


def test_key_ids_follow_the_signed_note_spec() -> None:
    signer = note.Signer("example.com/log", bytes(range(32)))
    public = signer.verifier.public
    assert signer.verifier.key_id == hashlib.sha256(b"example.com/log\n\x01" + public).digest()[:4]
    name, kid, key = signer.verifier.vkey.split("+", 2)
    assert (name, kid, base64.b64decode(key)) == ("example.com/log", signer.verifier.key_id.hex(), b"\x01" + public)
    with pytest.raises(note.NoteError, match="key id"):
        note.Verifier.parse(f"{name}+00000000+{key}")


def test_a_witness_cosignature_is_checked_against_the_text_and_time() -> None:
    log = note.Signer.generate("veche.example/c/n")
    witness = note.Signer.generate("news.example/witness")
    text = note.Checkpoint("veche.example/c/n", 3, merkle.leaf_hash(b"y")).text
    now = int(datetime.now(UTC).timestamp())
    cosig = note.cosign(text, witness, now)
    both = note.sign_note(text, log) + cosig.line
    opened_text, sigs = note.open_note(both, log.verifier)
    assert [note.check_cosignature(opened_text, s, witness.verifier) for s in sigs] == [None, now]
    assert note.check_cosignature(text.replace("\n3\n", "\n4\n"), sigs[1], witness.verifier) is None
    assert note.check_cosignature(text, sigs[1], log.verifier) is None


@pytest.mark.parametrize(
    "bad",
    ["no signature\n", "text\n\n- name AAAA\n", "text\n\n\u2014 name !!!\n", "a\n\nb\n\n\u2014 n AAAAAAAA\n"],
)
def test_malformed_notes_are_refused(bad: str) -> None:
    with pytest.raises(note.NoteError):
        note.open_note(bad, note.Signer.generate("n").verifier)


def test_entries_have_one_canonical_line_and_count_purely() -> None:
    at = datetime.now(UTC).replace(microsecond=123456)
    cast = cast_entry("forum", "diplomacy", "01J0", ["perm", "kazan"], "a" * 64, at)
    annulled = Entry(
        Kind.annulled,
        "forum",
        "diplomacy",
        "01J0",
        ("perm",),
        "a" * 64,
        at + timedelta(minutes=1),
        "ann1",
        'a bot farm: "3,000" votes\nfrom one address',
    )
    for entry in (cast, annulled):
        assert Entry.parse(entry.line) == entry
        assert b"\n" not in entry.line
    assert cast.line.startswith(b"veche-ballot/v1 cast forum diplomacy 01J0 perm,kazan " + b"a" * 64)
    assert count([cast, annulled]) == {"perm": 0, "kazan": 1}
    with pytest.raises(ValueError, match="token"):
        cast_entry("forum", "dip lomacy", "01J0", ["perm"], "a" * 64, at)
    with pytest.raises(ValueError, match="canonical"):
        Entry.parse(annulled.line.replace(b'"a bot', b'"\\u0061 bot'))


def test_a_receipt_names_the_ballots_leaf_under_the_log_key() -> None:
    from veche_shared.contracts.catalog import IdentityMode
    from veche_shared.contracts.votes import VoteCast
    from veche_shared.tlog import receipt

    key = note.Signer.generate("vote.example.org")
    at = datetime.now(UTC)
    ballot = VoteCast(vote_id="01J0", contest="forum", nomination="dip", practices=["perm"], voter_hash="a" * 64,
                      identity_mode=IdentityMode.jwt, cast_at=at)  # fmt: skip
    issued = receipt.issue(ballot, key)
    leaf = cast_entry("forum", "dip", "01J0", ["perm"], "a" * 64, at).leaf
    assert base64.b64decode(issued.leaf) == leaf
    assert receipt.holds(issued, "forum", "dip", "01J0", key.verifier)
    assert not receipt.holds(issued, "forum", "dip", "01J1", key.verifier)
    assert not receipt.holds(issued.model_copy(update={"leaf": base64.b64encode(bytes(32)).decode()}), "forum", "dip",
                             "01J0", key.verifier)  # fmt: skip
    assert not receipt.holds(issued, "forum", "dip", "01J0", note.Signer.generate("x").verifier)
