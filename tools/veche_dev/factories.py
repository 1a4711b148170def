"""Test data, built one way for every test and for bench/: the catalog, ballots and annulments, voter tokens.

Catalog events go straight to stream CATALOG (what the submissions service would publish), ballots straight to
VOTES (what the voting service would append), so a test of results or voting needs no other service running.
"""

import asyncio
import hashlib
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt
from nats.aio.client import Client

from veche_shared import subjects
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import (
    Contest,
    ContestEvent,
    IdentityMode,
    Nomination,
    NominationEvent,
    Phase,
    Practice,
    PracticeEvent,
    PracticeStatus,
    Visibility,
)
from veche_shared.contracts.votes import AnnulledVote, VoteCast, VotesAnnulled
from veche_shared.operators import OperatorKey, Role

HS256_KEY = "test-hs256-key-0123456789abcdef0123456789"  # the voting service's "default" key in tests


# --- the catalog -------------------------------------------------------------------------------------------------


@dataclass
class Catalog:
    """One contest with its nominations and practices, as the events the submissions service would publish."""

    contest: Contest
    nominations: list[Nomination] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)

    def events(self) -> list[tuple[str, ContestEvent | NominationEvent | PracticeEvent]]:
        """(subject, event), the contest last: a process that knows the contest knows everything in it."""
        cid = self.contest.id
        return [
            *(
                (subjects.catalog_event("nomination", cid), NominationEvent(type="NominationCreated", nomination=n))
                for n in self.nominations
            ),
            *(
                (subjects.catalog_event("practice", cid), PracticeEvent(type="PracticeApproved", practice=p))
                for p in self.practices
            ),
            (subjects.catalog_event("contest", cid), ContestEvent(type="ContestCreated", contest=self.contest)),
        ]


def contest(
    contest_id: str,
    *,
    phase: Phase = Phase.voting_open,
    visibility: Visibility = Visibility.live,
    mode: IdentityMode = IdentityMode.jwt,
    **fields: Any,
) -> Contest:
    title = {"en": f"Contest {contest_id}"}
    return Contest(id=contest_id, title=title, phase=phase, visibility=visibility, identity_mode=mode, **fields)


def practice(
    contest_id: str,
    practice_id: str,
    nomination: str = "n",
    *,
    municipality: str = "m",
    status: PracticeStatus = PracticeStatus.approved,
) -> Practice:
    return Practice(
        id=practice_id,
        contest=contest_id,
        nomination=nomination,
        municipality=municipality,
        title=practice_id,
        status=status,
    )


def catalog(
    found: Contest, practices: Mapping[str, Sequence[Practice]], choices: dict[str, tuple[int, int]] | None = None
) -> Catalog:
    """A contest with nominations {nomination id: its practices}; `choices`: {nomination: (max, min)} of approval
    nominations (the others are single-choice)."""
    nominations = [
        Nomination(
            id=n,
            contest=found.id,
            title={"en": f"Nomination {n}"},
            max_choices=(choices or {}).get(n, (1, 1))[0],
            min_choices=(choices or {}).get(n, (1, 1))[1],
        )
        for n in practices
    ]
    return Catalog(found, nominations, [p for listed in practices.values() for p in listed])


async def publish_catalog(nc: Client, seeded: Catalog) -> None:
    js = nc.jetstream()
    for subject, event in seeded.events():
        await js.publish(subject, event.model_dump_json().encode())


async def publish_change(nc: Client, changed: Contest | Practice, kind: str) -> int:
    """Publish a later version of a contest or practice (kind: ContestPhaseChanged, PracticeWithdrawn...);
    returns its CATALOG sequence."""
    if isinstance(changed, Contest):
        subject = subjects.catalog_event("contest", changed.id)
        event: ContestEvent | PracticeEvent = ContestEvent.model_validate({"type": kind, "contest": changed})
    else:
        subject = subjects.catalog_event("practice", changed.contest)
        event = PracticeEvent.model_validate({"type": kind, "practice": changed})
    return int((await nc.jetstream().publish(subject, event.model_dump_json().encode())).seq)


# --- the ledger --------------------------------------------------------------------------------------------------


def voter(n: int) -> str:
    """The voter hash of voter number n (what voting derives from a voter id; tests need no pepper)."""
    return hashlib.sha256(f"voter-{n}".encode()).hexdigest()


def ballot(
    contest_id: str, practice_id: str | list[str], n: int, nomination: str = "n", cast_at: datetime | None = None
) -> VoteCast:
    """Voter n's ballot of one practice or a set of them, cast now unless said otherwise; its vote id is v<n>."""
    return VoteCast(
        vote_id=f"v{n}",
        contest=contest_id,
        nomination=nomination,
        practices=[practice_id] if isinstance(practice_id, str) else practice_id,
        voter_hash=voter(n),
        identity_mode=IdentityMode.jwt,
        cast_at=cast_at or datetime.now(UTC),
    )


def annulment(
    contest_id: str, annulment_id: str, votes: Iterable[tuple[VoteCast, int]], nomination: str = "n"
) -> VotesAnnulled:
    """An annulment of (ballot, its ledger sequence) pairs."""
    annulled = [
        AnnulledVote(vote_id=b.vote_id, practices=b.practices, voter_hash=b.voter_hash, sequence=seq)
        for b, seq in votes
    ]
    return VotesAnnulled(
        annulment_id=annulment_id,
        contest=contest_id,
        nomination=nomination,
        reason="test",
        operator="t",
        occurred_at=datetime.now(UTC),
        votes=annulled,
    )


def ledger_subject(event: VoteCast | VotesAnnulled) -> str:
    if isinstance(event, VoteCast):
        return subjects.vote_cast(event.contest, event.voter_hash)
    return subjects.votes_annulled(event.contest, event.nomination, event.annulment_id)


async def record(nc: Client, event: VoteCast | VotesAnnulled) -> int:
    """Append a ballot or an annulment to VOTES as voting would; returns its sequence."""
    ack = await nc.jetstream().publish(ledger_subject(event), event.model_dump_json().encode())
    return int(ack.seq)


async def record_many(nc: Client, events: Iterable[VoteCast | VotesAnnulled], window: int = 500) -> None:
    """Append many, `window` acknowledgements in flight at a time."""
    js, pending = nc.jetstream(), []
    for event in events:
        pending.append(await js.publish_async(ledger_subject(event), event.model_dump_json().encode()))
        if len(pending) >= window:
            await asyncio.gather(*pending)
            pending.clear()
    await asyncio.gather(*pending)


# --- voters and municipalities -----------------------------------------------------------------------------------


def token(
    contest_id: str,
    voter_id: str,
    *,
    key: Any = HS256_KEY,
    alg: str = "HS256",
    ttl: int = 600,
    kid: str = "k1",
    **claims: Any,
) -> str:
    """A voter's JWT for a contest (audience = the contest), signed with a key the voting service knows."""
    body = {"sub": voter_id, "aud": contest_id, "exp": int(time.time()) + ttl} | claims
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid} if alg == "RS256" else None)


def municipality(mid: str, name: str | None = None, country: str = "RU") -> s.RegisterMunicipality:
    return s.RegisterMunicipality(id=mid, name={"en": name or f"City {mid}"}, country=country, lat=58.0, lon=56.2)


def operator_key(name: str, role: Role, secret: str) -> OperatorKey:
    """An operator's configured key: the gateway keeps only the SHA-256 of the secret the operator presents."""
    return OperatorKey(name=name, role=role, key_sha256=hashlib.sha256(secret.encode()).hexdigest())
