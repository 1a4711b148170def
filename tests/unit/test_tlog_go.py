"""Veche's checkpoints, tiles and proofs checked by Go's golang.org/x/mod/sumdb/note and sumdb/tlog, which nobody
here wrote (tests/go/tlogcheck); and a note Go signs is checked by Veche's code in return."""

import base64
import itertools
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

import pytest

from veche_shared.tlog import merkle, note
from veche_shared.tlog.entry import cast_entry
from veche_shared.tlog.tiles import MemoryRows, tiles_of

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain builds the independent verifier"),
]
SOURCE = Path(__file__).parents[1] / "go" / "tlogcheck"
ORIGIN = "veche.test/forum/diplomacy"
SIZES = [1, 2, 7, 256, 257, 300, 513, 1000]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(scope="module")
def tlogcheck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    binary = tmp_path_factory.mktemp("go") / "tlogcheck"
    subprocess.run([shutil.which("go") or "go", "build", "-o", str(binary), "."], cwd=SOURCE, check=True, timeout=300)
    return binary


class Inclusion(TypedDict):
    index: int
    size: int
    entry: str
    proof: list[str]


class Consistency(TypedDict):
    old: int
    new: int
    proof: list[str]


class Vectors(TypedDict):
    """What the Go checker reads: a verifier key, checkpoints, tiles and the proofs to check against them."""

    vkey: str
    origin: str
    checkpoints: list[str]
    tiles: dict[str, str]
    inclusion: list[Inclusion]
    consistency: list[Consistency]


def vectors() -> Vectors:
    start = datetime.now(UTC)
    entries = [
        cast_entry("forum", "diplomacy", f"vote{i:04d}", [f"practice{i % 3}"], f"{i:064x}", start + timedelta(i))
        for i in range(max(SIZES))
    ]
    rows = MemoryRows([e.leaf for e in entries])
    signer = note.Signer.generate(ORIGIN)
    checkpoints = [note.sign_note(note.Checkpoint(ORIGIN, n, merkle.tree_hash(rows, n)).text, signer) for n in SIZES]
    inclusion = [
        Inclusion(
            index=i, size=n, entry=b64(entries[i].line), proof=[b64(h) for h in merkle.inclusion_proof(rows, i, n)]
        )
        for n in SIZES
        for i in sorted({0, n // 2, n - 1})
    ]
    consistency = [
        Consistency(old=old, new=new, proof=[b64(h) for h in merkle.consistency_proof(rows, old, new)])
        for old, new in [*itertools.pairwise(SIZES), (1, 1000), (7, 513), (300, 300)]
    ]
    tiles = {t.path: b64(rows.tile(t)) for t in tiles_of(max(SIZES))}
    return Vectors(
        vkey=signer.verifier.vkey,
        origin=ORIGIN,
        checkpoints=checkpoints,
        tiles=tiles,
        inclusion=inclusion,
        consistency=consistency,
    )


def run(binary: Path, document: Vectors) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary)], input=json.dumps(document), capture_output=True, text=True, timeout=60)


def test_go_verifies_our_checkpoints_tiles_and_proofs(tlogcheck: Path) -> None:
    document = vectors()
    done = run(tlogcheck, document)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    counts = (report["checkpoints"], report["inclusion"], report["consistency"])
    assert counts == (len(SIZES), 21, len(SIZES) + 2)
    signed_roots = {
        str(n): note.Checkpoint.parse(note.split_note(c)[0]).root
        for n, c in zip(SIZES, document["checkpoints"], strict=True)
    }
    assert {n: base64.b64decode(r) for n, r in report["roots"].items()} == signed_roots


def test_we_verify_a_note_go_signed(tlogcheck: Path) -> None:
    report = json.loads(run(tlogcheck, vectors()).stdout)
    verifier = note.Verifier.parse(report["go_vkey"])
    text, _ = note.open_note(report["go_note"], verifier)
    assert note.Checkpoint.parse(text).size == max(SIZES)


@pytest.mark.parametrize("tamper", ["tile", "proof", "checkpoint"])
def test_go_refuses_what_was_tampered_with(tlogcheck: Path, tamper: str) -> None:
    document = vectors()
    if tamper == "tile":
        tiles = document["tiles"]
        raw = bytearray(base64.b64decode(tiles["tile/0/001"]))
        raw[5] ^= 1
        tiles["tile/0/001"] = b64(bytes(raw))
    elif tamper == "proof":
        document["inclusion"][-1]["proof"][0] = b64(merkle.leaf_hash(b"forged"))
    else:
        checkpoints = document["checkpoints"]
        checkpoints[-1] = checkpoints[-1].replace("\n1000\n", "\n999\n")
    done = run(tlogcheck, document)
    assert done.returncode == 1
    assert done.stderr
