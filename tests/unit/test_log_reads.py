"""The gateway's memory of the log's immutable answers (api/log_reads.py): kept only when they never change,
served only while the log is public, the least recently read dropped first."""

import asyncio

from veche_gateway.api.log_reads import ImmutableReads, RecentReads


class Results:
    """The results service's answers, counted."""

    def __init__(self) -> None:
        self.asked = 0

    async def answer(self, text: str) -> str:
        self.asked += 1
        return f"{text} #{self.asked}"


def read(reads: ImmutableReads, results: Results, key: str, *, public: bool = True, keep: bool = True) -> str:
    return asyncio.run(reads.read(key, public, lambda: results.answer(key), lambda _: keep))


def test_an_immutable_answer_is_read_once_while_the_log_is_public() -> None:
    reads, results = ImmutableReads(), Results()
    assert read(reads, results, "tile 0/000") == "tile 0/000 #1"
    assert read(reads, results, "tile 0/000") == "tile 0/000 #1"
    assert results.asked == 1
    assert read(reads, results, "tile 0/000", public=False) == "tile 0/000 #2"  # the results service decides


def test_an_answer_that_moves_is_never_kept() -> None:
    reads, results = ImmutableReads(), Results()
    read(reads, results, "inclusion to the latest", keep=False)
    assert read(reads, results, "inclusion to the latest", keep=False) == "inclusion to the latest #2"


def test_the_least_recently_read_answer_goes_first() -> None:
    reads, results = ImmutableReads(entries=2), Results()
    read(reads, results, "a")
    read(reads, results, "b")
    read(reads, results, "a")  # read again: b is now the oldest
    read(reads, results, "c")
    assert results.asked == 3
    assert read(reads, results, "a") == "a #1"
    assert read(reads, results, "b") == "b #4"


def test_the_latest_checkpoint_is_kept_for_a_second_while_public() -> None:
    now = [100.0]
    recent, results = RecentReads(seconds=1.0, clock=lambda: now[0]), Results()

    def latest(public: bool = True) -> str:
        return asyncio.run(recent.read("checkpoint", public, lambda: results.answer("checkpoint")))

    assert latest() == "checkpoint #1"
    now[0] += 0.9
    assert latest() == "checkpoint #1"
    assert latest(public=False) == "checkpoint #2"  # the results service decides
    now[0] += 1.0
    assert latest() == "checkpoint #3"
    recent.forget("checkpoint")  # a cosignature passed on: the note changed
    assert latest() == "checkpoint #4"
