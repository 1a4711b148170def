"""The newest dead letters, as operators see them: when, why, which contest and nomination, read by direct get (no
consumer).

Stream DEADLETTER only grows (deny_delete, deny_purge) and rarely: the list is read again only when its last
sequence moved, so the operators' overview, asked every few seconds, costs one stream info while nothing happens.
"""

import json
from datetime import UTC, datetime
from typing import cast, get_args

from nats.js import JetStreamContext

from veche_shared import subjects
from veche_shared.contracts.ops import RECENT_DEAD_LETTERS, DeadLetter, DeadLetterKind
from veche_shared.stream_read import Stored, batch, connection_of

KINDS = get_args(DeadLetterKind)
NOMINATION_HEADER = "Veche-Nomination"  # a ballot's nomination, read from its body when it was dead-lettered


def dead_letter_of(stored: Stored) -> DeadLetter:
    """One stored dead letter: the headers the projector wrote (projector.Projector._dead_letter) and its time."""
    headers = stored.headers
    subject = headers.get("Veche-Subject", "")
    kind = headers.get("Veche-Kind", "other")
    contest, nomination = ledger_ids(subject)
    # letters written before the header was: the body is the ledger message's, unchanged
    nomination = nomination or headers.get(NOMINATION_HEADER) or nomination_in(stored.data)
    return DeadLetter(
        sequence=int(stored.subject.rsplit(".", 1)[-1]),
        dead_letter_sequence=stored.seq,
        at=stored_at(headers.get("Nats-Time-Stamp")),
        kind=cast(DeadLetterKind, kind if kind in KINDS else "other"),
        reason=headers.get("Veche-Reason", "")[:500],
        subject=subject[:300],
        contest=contest,
        nomination=nomination,
    )


def ledger_ids(subject: str) -> tuple[str | None, str | None]:
    """The contest and nomination a ledger subject names: an annulment's both
    (votes.annulled.<partition>.<contest>.<nomination>.<id>), a ballot's its contest (votes.cast.<partition>.<contest>.
    <voter>: one subject per voter per contest, the nomination is in the body)."""
    tokens = subject.split(".")
    try:
        if subjects.is_vote_cast(subject) and len(tokens) == 5:
            return subjects.token(tokens[3]), None
        if subjects.is_votes_annulled(subject) and len(tokens) == 6:
            return subjects.token(tokens[3]), subjects.token(tokens[4])
    except ValueError:
        pass
    return None, None


def nomination_in(body: bytes) -> str | None:
    """The nomination a ledger message's body names (a ballot's subject does not), if it is a JSON object naming a
    subject-safe one: a poison message may still say which nomination it was meant for."""
    try:
        named = json.loads(body).get("nomination")
        return subjects.token(named) if isinstance(named, str) else None
    except (ValueError, AttributeError):  # not JSON (UnicodeDecodeError is a ValueError), not an object, not a token
        return None


def stored_at(stamp: str | None) -> datetime:
    """Nats-Time-Stamp (RFC 3339 with nanoseconds, UTC) as a datetime; the epoch when missing or unreadable."""
    if not stamp:
        return datetime.fromtimestamp(0, UTC)
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    try:
        moment = datetime.fromisoformat(whole).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return moment.replace(microsecond=int((fraction + "000000")[:6])) if fraction.isdigit() else moment


class DeadLetters:
    """The newest RECENT_DEAD_LETTERS of stream DEADLETTER, newest first."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js
        self._seen: tuple[int, list[DeadLetter]] = (0, [])

    async def recent(self, first_seq: int, last_seq: int) -> list[DeadLetter]:
        """The newest dead letters, given the stream's first and last sequence (its stream info)."""
        if last_seq == 0:
            return []
        if self._seen[0] != last_seq:
            start = max(first_seq, last_seq - RECENT_DEAD_LETTERS + 1)
            nc = connection_of(self._js)
            found = await batch(
                nc, subjects.DEAD_LETTER_STREAM, subjects.DEAD_LETTER_ALL, start, RECENT_DEAD_LETTERS, 5.0
            )
            self._seen = (last_seq, [dead_letter_of(stored) for stored in reversed(found)])
        return self._seen[1]
