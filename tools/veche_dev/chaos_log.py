"""The chaos run's check of the transparency logs after each fault (docs/verifiability.md), through the public API
as anyone would make it: each nomination's latest signed checkpoint holds exactly the ballots accepted so far,
every ballot accepted during the fault has an inclusion proof against it (found by its receipt's leaf and ledger
sequence), it is consistent with the checkpoint taken after the previous fault, and every public board is sealed by
the log key at the signed head (a restarted gateway fetches its boards sealed: docs/verifiability.md)."""

import base64
import time
from dataclasses import dataclass

import httpx

from veche_shared.contracts.results import Leaderboard
from veche_shared.tlog import merkle, note
from veche_shared.tlog.merkle import ProofError
from veche_shared.tlog.seal import holds

WAIT = 30.0  # seconds for the checkpoint of all accepted ballots (signed every 2 s once they are applied)
BOARD_READS = 4  # reads of each public board through the load balancer: each gateway twice


class LogBroken(Exception):
    """What did not hold, in words for the chaos table."""


@dataclass(frozen=True)
class Signed:
    size: int
    root: bytes


def _hashes(found: list[str]) -> list[bytes]:
    return [base64.b64decode(h) for h in found]


class LogCheck:
    def __init__(self, api: httpx.Client, contest: str) -> None:
        self._api = api
        self._contest = contest
        self._verifier = note.Verifier.parse(api.get("/api/v1/log/key").text)
        self._last: dict[str, Signed] = {}  # nomination -> the checkpoint checked after the previous fault

    def _path(self, nomination: str) -> str:
        return f"/api/v1/contests/{self._contest}/nominations/{nomination}/log"

    def _get(self, path: str, **params: str | int) -> httpx.Response:
        answer = self._api.get(path, params=params)
        if answer.status_code != 200:
            raise LogBroken(f"{path} answered {answer.status_code}: {answer.text[:200]}")
        return answer

    def _checkpoint(self, nomination: str, size: int) -> Signed:
        """The signed checkpoint of `size` entries, checked with the log key; LogBroken if none comes in WAIT."""
        started, seen = time.monotonic(), -1
        while time.monotonic() - started < WAIT:
            signed = self._api.get(f"{self._path(nomination)}/checkpoint")
            if signed.status_code == 200:
                try:
                    text, _ = note.open_note(signed.text, self._verifier)
                    checkpoint = note.Checkpoint.parse(text)
                except note.NoteError as exc:
                    raise LogBroken(f"{nomination}: checkpoint not signed by the log key: {exc}") from None
                if not checkpoint.origin.endswith(f"/{self._contest}/{nomination}"):
                    raise LogBroken(f"{nomination}: a checkpoint of {checkpoint.origin}")
                seen = checkpoint.size
                if seen == size:
                    return Signed(checkpoint.size, checkpoint.root)
                if seen > size:
                    raise LogBroken(f"{nomination}: {seen} entries signed, {size} ballots accepted")
            time.sleep(0.25)
        raise LogBroken(f"{nomination}: no checkpoint of {size} entries in {WAIT:.0f} s (latest {seen})")

    def _consistent(self, nomination: str, old: Signed, new: Signed) -> None:
        if old.size == new.size:
            if old.root != new.root:
                raise LogBroken(f"{nomination}: two trees of size {new.size}")
            return
        proof = self._get(f"{self._path(nomination)}/consistency", old=old.size, new=new.size).json()
        try:
            merkle.verify_consistency(old.size, new.size, old.root, new.root, _hashes(proof["hashes"]))
        except ProofError as exc:
            raise LogBroken(f"{nomination}: {new.size} does not extend {old.size}: {exc}") from None

    def _included(self, nomination: str, leaf: str, seq: int, tree: Signed) -> None:
        index = self._get(f"{self._path(nomination)}/leaf", leaf=leaf, seq=seq).json()["index"]
        proof = self._get(f"{self._path(nomination)}/inclusion", index=index, size=tree.size).json()
        try:
            merkle.verify_inclusion(index, tree.size, base64.b64decode(leaf), _hashes(proof["hashes"]), tree.root)
        except ProofError as exc:
            raise LogBroken(f"{nomination}: the ballot at {index} is not in {tree.size}: {exc}") from None

    def sealed_at(self, nomination: str, tree: Signed, reads: int = BOARD_READS) -> None:
        """Each of `reads` reads of the public board (round robin: every gateway) is sealed by the log key at the
        head of the signed checkpoint `tree` (the boards have converged: no ballot is in flight)."""
        for _ in range(reads):
            board = Leaderboard.model_validate(
                self._get(f"/api/v1/contests/{self._contest}/nominations/{nomination}/leaderboard").json()
            )
            if not holds(board, self._verifier):
                raise LogBroken(f"{nomination}: a public board not sealed by the log key (version {board.version})")
            if (board.log_size, board.log_root) != (tree.size, base64.b64encode(tree.root).decode()):
                raise LogBroken(f"{nomination}: a board sealed at {board.log_size}, not at the signed head {tree.size}")

    def after_fault(self, accepted: dict[str, int], receipts: dict[str, list[tuple[str, int]]]) -> str:
        """Check every nomination's log (accepted: its ballots so far; receipts: those of this fault's ballots) and
        its public boards; a summary for the chaos table, or LogBroken."""
        proofs = 0
        for nomination, size in sorted(accepted.items()):
            tree = self._checkpoint(nomination, size)
            if nomination in self._last:
                self._consistent(nomination, self._last[nomination], tree)
            for leaf, seq in receipts.get(nomination, []):
                self._included(nomination, leaf, seq, tree)
                proofs += 1
            self.sealed_at(nomination, tree)
            self._last[nomination] = tree
        sizes = ", ".join(f"{n} {self._last[n].size}" for n in sorted(accepted))
        return f"ok: {proofs} inclusion proofs, consistent ({sizes}), boards sealed at the signed heads"
