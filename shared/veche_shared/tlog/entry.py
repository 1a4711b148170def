"""The log's entry for a ballot event: one canonical line, no personal data, and the count as a function of entries.

    veche-ballot/v1 cast <contest> <nomination> <vote id> <practice>[,<practice>...] <voter hash> <time>
    veche-ballot/v1 annulled <contest> <nomination> <vote id> <practices> <voter hash> <time> <annulment id> <reason>

Ids are subject-safe tokens, so spaces and commas separate; the time is UTC with microseconds; the reason is a JSON
string (ASCII, so the line stays one line). A ballot names a list of practices (one today; approval voting more).
"""

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from veche_shared.tlog.merkle import Hash, leaf_hash

VERSION = "veche-ballot/v1"
_TOKENS = re.compile(r"[A-Za-z0-9_-]{1,128}(?:,[A-Za-z0-9_-]{1,128})*")
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
ZERO = timedelta(0)


def utc_text(at: datetime) -> str:
    """YYYY-MM-DDTHH:MM:SS.ffffffZ (isoformat is a tenth of strftime's cost; the ledger's times are UTC already)."""
    if at.utcoffset() != ZERO:
        at = at.astimezone(UTC)
    return at.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class Kind(StrEnum):
    cast = "cast"
    annulled = "annulled"


@dataclass(frozen=True)
class Entry:
    kind: Kind
    contest: str
    nomination: str
    vote_id: str
    practices: tuple[str, ...]
    voter_hash: str
    at: datetime
    annulment_id: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        tokens = [self.contest, self.nomination, self.vote_id, self.voter_hash, *self.practices]
        if self.kind == Kind.annulled:
            tokens.append(self.annulment_id)
        if not self.practices or not _TOKENS.fullmatch(",".join(tokens)):
            raise ValueError("an entry's ids are tokens of [A-Za-z0-9_-] and it names at least one practice")

    @functools.cached_property
    def line(self) -> bytes:
        at = utc_text(self.at)
        fields = [VERSION, self.kind.value, self.contest, self.nomination, self.vote_id, ",".join(self.practices)]
        fields += [self.voter_hash, at]
        if self.kind == Kind.annulled:
            fields += [self.annulment_id, json.dumps(self.reason, ensure_ascii=True)]
        return " ".join(fields).encode()

    @property
    def leaf(self) -> Hash:
        return leaf_hash(self.line)

    @classmethod
    def parse(cls, line: bytes) -> "Entry":
        version, kind, contest, nomination, vote_id, practices, voter, at, *rest = line.decode().split(" ", 9)
        if version != VERSION or kind not in Kind.__members__ or (kind == Kind.annulled) != bool(rest):
            raise ValueError("not a veche-ballot/v1 entry")
        annulment_id, reason = (rest[0], json.loads(rest[1])) if rest else ("", "")
        when = datetime.strptime(at, _TIME).replace(tzinfo=UTC)
        entry = cls(
            Kind(kind), contest, nomination, vote_id, tuple(practices.split(",")), voter, when, annulment_id, reason
        )
        if entry.line != line:
            raise ValueError("entry is not in canonical form")
        return entry


def cast_entry(
    contest: str, nomination: str, vote_id: str, practices: Sequence[str], voter_hash: str, at: datetime
) -> Entry:
    return Entry(Kind.cast, contest, nomination, vote_id, tuple(practices), voter_hash, at)


def count(entries: Iterable[Entry]) -> dict[str, int]:
    """Votes per practice: +1 for every practice of a cast ballot, -1 for every practice of an annulled one."""
    votes: Counter[str] = Counter()
    for entry in entries:
        for practice in entry.practices:
            votes[practice] += 1 if entry.kind == Kind.cast else -1
    return dict(votes)
