"""`veche witness`: a third party checks that each new checkpoint of a nomination's log extends the last one it saw,
and cosigns it (C2SP tlog-cosignature), through the public API only (docs/verifiability.md).

The state file keeps, per log origin, the size and root last cosigned; a checkpoint that is smaller, or of the same
size with another root, or that a consistency proof does not tie to it, is refused loudly and not cosigned.
"""

import argparse
import base64
import json
import os
import time
from pathlib import Path
from typing import Any

import httpx

from veche_shared.tlog import merkle
from veche_shared.tlog.keys import log_origin
from veche_shared.tlog.merkle import ProofError
from veche_shared.tlog.note import NoteError, Signer, Verifier, cosign, open_checkpoint


class Refused(Exception):
    """The log did not behave: nothing was cosigned."""


def witness_once(
    client: httpx.Client, log: str, origin: str, log_key: Verifier, signer: Signer, state: dict[str, Any]
) -> str:
    """Check the log's latest checkpoint against the last one seen, cosign and submit it; answers what was done."""
    answer = client.get(f"{log}/checkpoint")
    answer.raise_for_status()
    try:
        checkpoint = open_checkpoint(answer.text, log_key, origin)[0]
    except NoteError as exc:
        raise Refused(f"the checkpoint is not signed by the log key: {exc}") from None
    seen = state.get(origin)
    if seen is not None:
        old, old_root = seen["size"], base64.b64decode(seen["root"])
        if checkpoint.size < old:
            raise Refused(f"the log shrank from {old} to {checkpoint.size}")
        if checkpoint.size > old:
            proof = client.get(f"{log}/consistency", params={"old": old, "new": checkpoint.size})
            proof.raise_for_status()
            hashes = [base64.b64decode(h) for h in proof.json()["hashes"]]
            try:
                merkle.verify_consistency(old, checkpoint.size, old_root, checkpoint.root, hashes)
            except ProofError as exc:
                raise Refused(f"checkpoint {checkpoint.size} does not extend {old}: {exc}") from None
        elif checkpoint.root != old_root:
            raise Refused(f"two different trees of size {old}")
    line = cosign(checkpoint.text, signer, int(time.time())).line
    client.post(f"{log}/cosignature", json={"size": checkpoint.size, "cosignature": line}).raise_for_status()
    state[origin] = {"size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode()}
    return f"cosigned {origin} at size {checkpoint.size}"


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    witness = commands.add_parser("witness", help="check a log's new checkpoint against the last one, and cosign it")
    witness.add_argument("url", help="the platform's public address, e.g. https://vote.example.org")
    witness.add_argument("contest")
    witness.add_argument("nomination")
    witness.add_argument("--log-key", required=True, help="the platform's log verifier key, obtained independently")
    witness.add_argument("--platform", required=True, help="the platform's log origin name, e.g. vote.example.org")
    witness.add_argument("--state", type=Path, default=Path("witness-state.json"), help="what was cosigned before")
    witness.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    key = os.environ.get("VECHE_WITNESS_KEY")
    if not key:
        print("set VECHE_WITNESS_KEY to the witness's signer key (PRIVATE+KEY+<name>+<id>+<key>)")
        return 2
    state = json.loads(args.state.read_text()) if args.state.exists() else {}
    log = f"{args.url.rstrip('/')}/api/v1/contests/{args.contest}/nominations/{args.nomination}/log"
    origin = log_origin(args.platform, args.contest, args.nomination)
    with httpx.Client(timeout=15) as client:
        try:
            print(witness_once(client, log, origin, Verifier.parse(args.log_key), Signer.parse(key), state))
        except Refused as exc:
            print(f"REFUSED: {exc}")
            return 1
    args.state.write_text(json.dumps(state, indent=2) + "\n")
    return 0
