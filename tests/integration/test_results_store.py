"""The contract of the results service's stores (veche_results.ports.Tallies, CertificateStore): the same assertions
against the in-memory fakes the fast use-case tests run on and against the Mongo adapters on the real database, so
the fakes cannot drift from what the database does (the last_seq guard across a restart, times to the millisecond,
what each read selects); and the ledger's reads (veche_results.ports.LedgerReads) against stream VOTES."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nats
import pytest

from veche_dev import factories as f
from veche_results.certificate import certify
from veche_results.certifier import Certificates
from veche_results.export import StreamLedger, counted_ballot
from veche_results.fakes import InMemoryCertificates, InMemoryTallies, RecordedLedger
from veche_results.ports import CertificateStore, LedgerReads, MinuteVotes, Tallies, Tally
from veche_results.projector import counted_of
from veche_results.repository import TallyRepository
from veche_shared.contracts.votes import VoteCast, VotesAnnulled
from veche_shared.mongo import make_mongo


@dataclass
class Stores:
    tallies: Tallies
    reopen: Callable[[], Tallies]  # the same stored counters seen by a new process (no memory of what it applied)
    certificates: CertificateStore
    ledger: LedgerReads
    record: Callable[[VoteCast | VotesAnnulled], Awaitable[int]]  # appended to the ledger as voting appends it


@pytest.fixture(params=["memory", "real"])
async def stores(request: pytest.FixtureRequest, uid: str) -> AsyncIterator[Stores]:
    if request.param == "memory":
        memory, recorded = InMemoryTallies(), RecordedLedger()

        async def record(event: VoteCast | VotesAnnulled) -> int:
            return recorded.record(event)

        yield Stores(memory, lambda: InMemoryTallies(memory.storage), InMemoryCertificates(), recorded, record)
        return
    infra: dict[str, str] = request.getfixturevalue("infra")  # started only for the real half
    mongo, nc = make_mongo(infra["mongodb_url"], "test"), await nats.connect(infra["harness_url"])
    database = f"rstore_{uid}"
    repository = TallyRepository(mongo, database)
    await repository.ensure_indexes()
    yield Stores(
        repository,
        lambda: TallyRepository(mongo, database),
        Certificates(mongo, database),
        StreamLedger(nc.jetstream()),
        lambda event: f.record(nc, event),
    )
    await mongo.drop_database(database)
    await mongo.close()
    await nc.close()


def at(**ago: float) -> datetime:
    return datetime.now(UTC) - timedelta(**ago)


async def count(tallies: Tallies, *events: tuple[int, VoteCast | VotesAnnulled]) -> None:
    """Apply ledger messages (sequence, event) in one batch, as the projector counts them."""
    await tallies.apply([item for seq, event in events for item in counted_of(seq, event)])


def votes(tallies: list[Tally]) -> dict[str, int]:
    return {t.practice: t.votes for t in tallies}


async def test_a_redelivered_batch_never_counts_twice_even_after_a_restart(stores: Stores) -> None:
    b = [f.ballot("c", "a" if n % 2 else "b", n) for n in range(1, 6)]
    await count(stores.tallies, (1, b[0]), (2, b[1]), (3, b[2]))
    restarted = stores.reopen()
    await count(restarted, (2, b[1]), (3, b[2]), (4, b[3]), (5, b[4]))
    await count(restarted, (5, b[4]))
    # one message, two ballots of one practice annulled: both count (same sequence, one counter)
    await count(restarted, (6, f.annulment("c", "x", [(b[0], 1), (b[2], 3)])))
    await count(restarted, (6, f.annulment("c", "x", [(b[0], 1), (b[2], 3)])))
    tallies = await restarted.tallies_of("c", "n")
    assert votes(tallies) == {"a": 1, "b": 2}
    assert {t.practice: t.last_seq for t in tallies} == {"a": 6, "b": 4}
    assert await restarted.ballots_of("c", "n") == 3


async def test_tallies_keep_the_latest_cast_time_to_the_millisecond(stores: Stores) -> None:
    late, early = at(seconds=5), at(minutes=3)
    first, second = f.ballot("c", "a", 1, cast_at=late), f.ballot("c", "a", 2, cast_at=early)
    await count(stores.tallies, (1, first), (2, second), (3, f.ballot("c", "b", 3, "other", cast_at=early)))
    await count(stores.tallies, (4, f.annulment("c", "x", [(second, 2)])))  # an annulment has no cast time
    [tally] = await stores.tallies.tallies_of("c", "n")
    assert tally == Tally("a", 1, 4, late.replace(microsecond=late.microsecond // 1000 * 1000))
    assert await stores.tallies.tallies_of("c", "none") == []
    assert await stores.tallies.tallies_of("other-contest", "n") == []


async def test_counts_and_ballots_are_read_per_contest(stores: Stores) -> None:
    assert await stores.tallies.ballots_of("c", "n") == 0  # before its first ballot
    await count(
        stores.tallies,
        (1, f.ballot("c", ["a", "b"], 1)),
        (2, f.ballot("c", "a", 2)),
        (3, f.ballot("c", "z", 3, "m")),
        (4, f.ballot("d", "a", 4)),
    )
    assert await stores.tallies.contest_counts("c") == {("n", "a"): 2, ("n", "b"): 1, ("m", "z"): 1}
    assert await stores.tallies.contest_ballots("c") == {"n": 2, "m": 1}
    assert (await stores.tallies.ballots_of("c", "n"), await stores.tallies.ballots_of("d", "n")) == (2, 1)
    assert await stores.tallies.contest_counts("none") == {}


async def test_minute_buckets_are_read_since_and_pruned_before(stores: Stores) -> None:
    now = at().replace(second=30)
    minute = now.replace(second=0, microsecond=0)
    cast = [now, now, now - timedelta(minutes=1), now - timedelta(hours=2)]
    await count(stores.tallies, *((n, f.ballot("c", "a", n, cast_at=t)) for n, t in enumerate(cast, start=1)))
    await count(stores.tallies, (5, f.ballot("c", "b", 5, "m", cast_at=now)))

    def buckets(found: list[MinuteVotes]) -> set[tuple[str, datetime, int]]:
        return {(b.practice, b.minute, b.votes) for b in found}

    since = minute - timedelta(minutes=1)  # inclusive
    recent = buckets(await stores.tallies.minutes_of("c", "n", since))
    assert recent == {("a", minute, 2), ("a", since, 1)}
    assert await stores.tallies.prune_minutes(since) == 1  # the one two hours back
    assert await stores.tallies.prune_minutes(since) == 0
    assert buckets(await stores.tallies.minutes_of("c", "n", minute - timedelta(days=1))) == recent
    assert buckets(await stores.tallies.minutes_of("c", "m", minute)) == {("b", minute, 1)}
    assert votes(await stores.tallies.tallies_of("c", "n")) == {"a": 4}  # the tallies keep the totals


async def test_a_certificate_is_kept_once_and_never_overwritten(stores: Stores, uid: str) -> None:
    ballots = [f.ballot(uid, "a", 1), f.ballot(uid, "b", 2)]
    first = certify(uid, [counted_ballot(seq, b) for seq, b in enumerate(ballots, start=1)], at())
    other = certify(uid, [counted_ballot(1, ballots[0])], at())
    assert await stores.certificates.get(uid) is None
    assert await stores.certificates.add(first)
    assert not await stores.certificates.add(other)
    assert await stores.certificates.get(uid) == first


async def test_the_ledger_gives_a_contests_ballots_in_order_with_the_annulled_marked(stores: Stores, uid: str) -> None:
    contest, other = f"c-{uid}", f"d-{uid}"
    ballots = [f.ballot(contest, ["a", "b"] if n == 1 else "a", n) for n in range(3)]
    seqs = [await stores.record(b) for b in ballots]
    elsewhere = f.ballot(other, "a", 0)
    other_seq = await stores.record(elsewhere)
    last = await stores.record(f.annulment(contest, f"x{uid}", [(ballots[1], seqs[1])]))
    assert await stores.ledger.last_sequence() == last
    assert await stores.ledger.counted_ballots(contest) == [
        counted_ballot(seqs[0], ballots[0]),
        counted_ballot(seqs[1], ballots[1], annulled=True),
        counted_ballot(seqs[2], ballots[2]),
    ]
    assert await stores.ledger.counted_ballots(other) == [counted_ballot(other_seq, elsewhere)]
    assert await stores.ledger.counted_ballots(f"none-{uid}") == []
