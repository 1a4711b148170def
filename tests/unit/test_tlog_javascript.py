"""The browser's verifier (web/shared/tlog.js) against the Python log, which tests/go/tlogcheck checks with Go's
sumdb: vectors made here (receipts, signed checkpoints, every inclusion proof of small trees, every board head each
checkpoint holds with its consistency proof, forgeries), checked by
tests/js/tlog.vectors.js under node's WebCrypto, so the page agrees with code nobody here wrote."""

import base64
import hashlib
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from veche_shared.contracts.catalog import IdentityMode
from veche_shared.contracts.votes import VoteCast
from veche_shared.tlog import merkle, receipt
from veche_shared.tlog.keys import DEV_LOG_SIGNER
from veche_shared.tlog.note import Checkpoint, Signer, sign_note
from veche_shared.tlog.tiles import MemoryRows

ROOT = Path(__file__).parents[2]
SIZES = (1, 2, 3, 4, 5, 7, 8, 13)
OTHER = Signer(DEV_LOG_SIGNER.name, hashlib.sha256(b"not the log key").digest())  # the same name, another key


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def ballot(n: int, start: datetime) -> VoteCast:
    practices = ["p-1"] if n % 2 else ["p-2", "p_3"]
    voter = hashlib.sha256(f"voter {n}".encode()).hexdigest()
    at = start + timedelta(seconds=n, microseconds=n * 7)
    return VoteCast(vote_id=f"v{n}", contest="c-1", nomination="n_1", practices=practices, voter_hash=voter,
                    identity_mode=IdentityMode.jwt, cast_at=at)  # fmt: skip


def vectors() -> dict[str, Any]:
    ballots = [ballot(n, datetime.now(UTC)) for n in range(max(SIZES))]
    receipts = [receipt.issue(b, DEV_LOG_SIGNER) for b in ballots]
    rows = MemoryRows([base64.b64decode(r.leaf) for r in receipts])
    trees = []
    for size in SIZES:
        text = Checkpoint("veche.localhost/c-1/n_1", size, merkle.tree_hash(rows, size)).text
        proofs = [[b64(h) for h in merkle.inclusion_proof(rows, index, size)] for index in range(size)]
        heads = [  # every board head this checkpoint holds, with the `consistency?old=&new=` proof that ties them
            {"size": old, "root": b64(merkle.tree_hash(rows, old)),
             "proof": [b64(h) for h in merkle.consistency_proof(rows, old, size)]}
            for old in range(1, size + 1)
        ]  # fmt: skip
        trees.append({"size": size, "checkpoint": sign_note(text, DEV_LOG_SIGNER), "proofs": proofs, "heads": heads,
                      "forged": sign_note(text, OTHER)})  # fmt: skip
    fields = {"contest", "nomination", "vote_id", "practices", "voter_hash"}
    return {
        "key": DEV_LOG_SIGNER.verifier.vkey,
        "other_key": OTHER.verifier.vkey,
        "ballots": [json.loads(b.model_dump_json(include=fields)) for b in ballots],
        "receipts": [r.model_dump() for r in receipts],
        "trees": trees,
    }


def test_the_browsers_verifier_checks_what_the_log_signs_and_refuses_forgeries(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed for the JavaScript tests (make test-tools)"
    made = tmp_path / "vectors.json"
    made.write_text(json.dumps(vectors()))
    done = subprocess.run(
        [node, "--test", "tests/js/tlog.vectors.js"],
        cwd=ROOT, env={"TLOG_VECTORS": str(made), "PATH": ""}, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# pass 0" not in done.stdout, done.stdout[-2000:]
    assert "# fail 0" in done.stdout, done.stdout[-2000:]
