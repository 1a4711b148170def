"""A ballot's signed receipt, like a certificate timestamp: the platform's signature over where the ballot is and
the leaf hash it will have in its nomination's log, given in the vote's answer before the log holds it.

    veche-receipt/v1
    <contest> <nomination> <vote id>
    leaf <base64 leaf hash>
    time <cast time, UTC with microseconds>
"""

import base64
import binascii

from veche_shared.contracts.votes import Receipt, VoteCast
from veche_shared.tlog.entry import cast_entry, utc_text
from veche_shared.tlog.note import Signer, Verifier


def statement(contest: str, nomination: str, vote_id: str, leaf: str, cast_at: str) -> bytes:
    return f"veche-receipt/v1\n{contest} {nomination} {vote_id}\nleaf {leaf}\ntime {cast_at}\n".encode()


def issue(ballot: VoteCast, signer: Signer) -> Receipt:
    entry = cast_entry(
        ballot.contest, ballot.nomination, ballot.vote_id, ballot.practices, ballot.voter_hash, ballot.cast_at
    )
    leaf, at = base64.b64encode(entry.leaf).decode(), utc_text(ballot.cast_at)
    signature = signer.sign(statement(ballot.contest, ballot.nomination, ballot.vote_id, leaf, at))
    return Receipt(leaf=leaf, cast_at=at, signature=base64.b64encode(signature).decode())


def holds(receipt: Receipt, contest: str, nomination: str, vote_id: str, verifier: Verifier) -> bool:
    try:
        signature = base64.b64decode(receipt.signature, validate=True)
    except binascii.Error:
        return False
    message = statement(contest, nomination, vote_id, receipt.leaf, receipt.cast_at)
    return verifier.check(message, signature)
