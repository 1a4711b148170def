"""A live board's seal: the results service's Ed25519 signature over the board's numbers and the log head (size,
root) they were counted from, so that a gateway or a browser refuses a board nobody with the log key computed.

The signed statement is plain text a page can rebuild from the board's JSON (docs/verifiability.md):

    veche-board/v1
    <contest> <nomination> <version> <visible|hidden> <max choices>
    log <size> <root base64>            (visible boards only)
    total <votes> <ballots>
    <practice> <votes>                  (one line per entry, in the board's order)
"""

import base64
import binascii
from typing import TypeVar

from veche_shared.contracts.results import Leaderboard
from veche_shared.tlog.note import Signer, Verifier

HEADER = "veche-board/v1"


def statement(board: Leaderboard) -> bytes:
    shown = "visible" if board.visible else "hidden"
    lines = [HEADER, f"{board.contest} {board.nomination} {board.version} {shown} {board.max_choices}"]
    if board.visible:
        lines.append(f"log {board.log_size} {board.log_root}")
    lines.append(f"total {board.total_votes} {board.total_ballots}")
    lines += [f"{e.practice} {e.votes}" for e in board.entries]
    return "".join(f"{line}\n" for line in lines).encode()


Board = TypeVar("Board", bound=Leaderboard)  # a live LeaderboardChanged stays one once sealed


def sealed(board: Board, signer: Signer) -> Board:
    signature = base64.b64encode(signer.sign(statement(board))).decode()
    return board.model_copy(update={"signature": signature})


def holds(board: Leaderboard, verifier: Verifier) -> bool:
    """Whether the log key signed this board (a visible board must name its log head)."""
    if board.signature is None or (board.visible and (board.log_size is None or board.log_root is None)):
        return False
    try:
        signature = base64.b64decode(board.signature, validate=True)
    except binascii.Error:
        return False
    return verifier.check(statement(board), signature)
