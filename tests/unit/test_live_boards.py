"""The gateway's in-memory leaderboards: newer wins, followers wake up, and a hidden board never has numbers
(the contract refuses them; the results service strips them before it sends)."""

import asyncio
import base64
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from veche_gateway.live.boards import Board, LiveBoards
from veche_shared.contracts.results import Leaderboard, LeaderboardChanged, LeaderboardEntry
from veche_shared.errors import DomainError, ErrorKind
from veche_shared.tlog import note
from veche_shared.tlog.seal import holds, sealed

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def board(version: int, votes: int, *, visible: bool = True, at: datetime = NOW) -> Leaderboard:
    entry = LeaderboardEntry(
        practice="p", title="P", municipality="m", municipality_name={"en": "M"}, votes=votes, share=1.0, rank=1
    )
    return Leaderboard(
        contest="c", nomination="n", visible=visible, total_votes=votes, entries=[entry], version=version, updated_at=at
    )


def test_older_versions_are_dropped_and_repeats_keep_the_etag() -> None:
    live = Board()
    assert live.offer(board(5, 3))
    etag = live.snapshot.etag if live.snapshot else ""
    assert not live.offer(board(4, 9))
    assert not live.offer(board(5, 3, at=NOW + timedelta(seconds=1)))
    assert live.snapshot is not None
    assert (live.snapshot.board.total_votes, live.snapshot.etag) == (3, etag)
    assert live.offer(board(6, 4))
    assert live.snapshot.etag != etag


def hidden(version: int, at: datetime = NOW) -> Leaderboard:
    """A hidden board as the results service sends it: no numbers, but its ledger sequence (for ordering)."""
    return Leaderboard(
        contest="c", nomination="n", visible=False, total_votes=0, entries=[], version=version, updated_at=at
    )


def test_hidden_snapshots_show_nothing_that_moves_with_ballots() -> None:
    live = Board()
    live.offer(hidden(7))
    assert live.snapshot is not None
    before = (live.snapshot.body, live.snapshot.etag, live.snapshot.version)
    assert not live.offer(hidden(9, at=NOW + timedelta(minutes=1))), "no wake-up for followers"
    assert live.snapshot.board.version == 7
    assert (live.snapshot.body, live.snapshot.etag, live.snapshot.version) == before
    assert before[2] == 0
    assert b'"updated_at":null' in before[0]


def test_a_board_that_becomes_hidden_is_taken() -> None:
    live = Board()
    live.offer(board(17, 12))
    assert live.offer(hidden(18))
    assert live.snapshot is not None
    assert (live.snapshot.version, live.snapshot.board.version) == (0, 18)


def test_a_hidden_board_with_numbers_breaks_the_contract() -> None:
    with pytest.raises(ValidationError, match="not visible carries no votes"):
        board(7, 12, visible=False)


async def test_followers_wake_on_change_and_time_out_otherwise() -> None:
    live = Board()
    assert await live.next_change(0.01) is None
    waiting = asyncio.ensure_future(live.next_change(30))
    await asyncio.sleep(0)
    live.offer(board(1, 1))
    changed = await waiting
    assert changed is not None
    assert changed.board.version == 1


async def test_boards_are_warmed_once_then_fed_by_messages() -> None:
    fetched: list[tuple[str, str]] = []

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        fetched.append((contest, nomination))
        return board(1, 1)

    boards = LiveBoards(fetch)
    first, second = await asyncio.gather(boards.board("c", "n"), boards.board("c", "n"))
    assert first is second
    assert fetched == [("c", "n")]
    boards.receive(LeaderboardChanged(**board(6, 5).model_dump()))
    assert (await boards.board("c", "n")).snapshot.board.total_votes == 5  # type: ignore[union-attr]
    assert fetched == [("c", "n")]


def sealed_board(version: int, votes: int, signer: note.Signer, *, visible: bool = True) -> LeaderboardChanged:
    head = {"log_size": votes, "log_root": base64.b64encode(bytes(32)).decode()} if visible else {}
    hidden = Leaderboard(contest="c", nomination="n", visible=False, total_votes=0, entries=[], version=version,
                         updated_at=None)  # fmt: skip
    shown = board(version, votes) if visible else hidden
    return LeaderboardChanged(**sealed(shown.model_copy(update=head), signer).model_dump())


def test_a_board_is_kept_only_if_the_log_key_sealed_it() -> None:
    key, other = note.Signer.generate("vote.example.org"), note.Signer.generate("vote.example.org")

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        raise AssertionError("not fetched")

    boards = LiveBoards(fetch, verifier=key.verifier)
    assert not boards.receive(LeaderboardChanged(**board(2, 999_999).model_dump()))  # unsigned: the forged board
    assert not boards.receive(sealed_board(3, 5, other))  # another key
    good = sealed_board(6, 5, key)  # five ballots need five sequences at least
    assert holds(good, key.verifier)
    for forged in (
        good.model_copy(update={"total_votes": 6}),
        good.model_copy(update={"version": 2**62}),
        good.model_copy(update={"entries": [good.entries[0].model_copy(update={"votes": 999_999})]}),
        good.model_copy(update={"log_size": 4}),
        good.model_copy(update={"log_size": None, "log_root": None}),
    ):
        assert not boards.receive(forged)
    assert boards.known("c", "n") is None
    assert boards.receive(good)
    assert boards.receive(sealed_board(7, 0, key, visible=False))  # a hidden board is sealed without a log head
    known = boards.known("c", "n")
    assert known is not None
    assert known.snapshot is not None
    assert known.snapshot.version == 0


def test_an_implausible_board_is_refused() -> None:
    """A version past what a ledger reaches (the forged 2^62 of issue 26), or more ballots than sequences."""
    live = Board()
    assert live.offer(board(40, 30))
    assert not live.offer(board(2**62, 999_999))
    assert not live.offer(board(41, 42))
    assert live.snapshot is not None
    assert live.snapshot.board.version == 40


async def test_a_resync_replaces_a_board_that_differs_from_the_results_service_whatever_its_version() -> None:
    truth = board(50, 20)

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        return truth

    boards = LiveBoards(fetch)
    await boards.board("c", "n")
    boards.receive(LeaderboardChanged(**board(9_000_000, 999_999).model_dump()))  # plausible, but not the truth
    assert (await boards.board("c", "n")).snapshot.board.total_votes == 999_999  # type: ignore[union-attr]
    assert await boards.resync() == 1
    assert (await boards.board("c", "n")).snapshot.board == truth  # type: ignore[union-attr]
    assert await boards.resync() == 0, "the truth, once kept, is not a change"


async def test_a_board_the_results_service_does_not_know_leaves_nothing_behind() -> None:
    """Item 5 of issue 26: each 404 left a lock in the warming table, about 390 B a request, forever."""

    class Unknown(Exception):
        pass

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        raise Unknown(f"{contest}/{nomination}")

    boards = LiveBoards(fetch)
    for i in range(100):
        with pytest.raises(Unknown):
            await boards.board("c", f"n{i}")
    assert len(boards) == 0
    assert boards.warming() == 0


async def test_a_seal_replaces_an_unsealed_board_once_and_outlives_the_unsealed_answers_of_fetches() -> None:
    """The results service answers a fetch unsealed while no process writes the nomination's log (only its writer
    seals): a sealed board with the same standings is taken once, and a re-sync's unsealed answer does not change
    its ETag back."""
    key = note.Signer.generate("vote.example.org")
    good = sealed_board(6, 5, key)
    unsealed = Leaderboard.model_validate(good.model_dump(exclude={"type", "log_size", "log_root", "signature"}))

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        return unsealed

    boards = LiveBoards(fetch, verifier=key.verifier)
    fetched = await boards.board("c", "n")
    assert fetched.snapshot is not None
    first = fetched.snapshot.etag
    assert boards.receive(good)
    assert fetched.snapshot.etag != first
    assert fetched.snapshot.board.signature == good.signature
    assert await boards.resync() == 0
    assert not boards.receive(good), "the same sealed board again is no change"
    assert fetched.snapshot.board.signature == good.signature


async def test_a_fetched_board_under_a_seal_the_log_key_did_not_make_is_refused() -> None:
    """Whatever answers svc.results.leaderboard.sealed.*: a seal that does not hold keeps nothing, and a re-sync's
    forged answer does not replace the board held."""
    key, other = note.Signer.generate("vote.example.org"), note.Signer.generate("vote.example.org")
    answers = [sealed_board(6, 5, other), sealed_board(6, 5, key), sealed_board(9, 999, other)]

    async def fetch(contest: str, nomination: str) -> Leaderboard:
        return answers.pop(0)

    boards = LiveBoards(fetch, verifier=key.verifier)
    with pytest.raises(DomainError) as refused:
        await boards.board("c", "n")
    assert (refused.value.kind, refused.value.code) == (ErrorKind.unavailable, "service_unavailable")
    assert boards.known("c", "n") is None
    held = await boards.board("c", "n")
    assert held.snapshot is not None
    assert holds(held.snapshot.board, key.verifier)
    assert await boards.resync() == 0
    assert held.snapshot.board.total_votes == 5
