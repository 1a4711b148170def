"""The roster of service instances behind the operators' overview (veche_shared.status.Roster): which instances a
round may wait for alone, and when a round is a full one that sets the roster again."""

from veche_shared.contracts.ops import ServiceStatus
from veche_shared.status import Roster


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def statuses(*instances: str) -> list[ServiceStatus]:
    return [
        ServiceStatus(service="voting", ready=True, checks={}, uptime_seconds=1, instance=name) for name in instances
    ]


def test_the_first_round_waits_the_whole_deadline_and_sets_the_roster() -> None:
    roster = Roster(recheck=30, clock=Clock())
    assert roster.expected("voting") == frozenset()
    roster.answered("voting", frozenset(), statuses("voting-a", "voting-b"))
    assert roster.expected("voting") == {"voting-a", "voting-b"}
    assert roster.expected("results") == frozenset()  # each service has its own


def test_a_round_in_which_a_known_instance_is_silent_sets_the_roster_to_those_that_answered() -> None:
    roster = Roster(recheck=30, clock=Clock())
    roster.answered("voting", frozenset(), statuses("voting-a", "voting-b"))
    roster.answered("voting", frozenset({"voting-a", "voting-b"}), statuses("voting-b", "voting-c"))
    assert roster.expected("voting") == {"voting-b", "voting-c"}


def test_early_rounds_keep_the_roster_and_a_full_round_comes_after_recheck_seconds() -> None:
    clock = Clock()
    roster = Roster(recheck=30, clock=clock)
    roster.answered("voting", frozenset(), statuses("voting-a"))
    clock.now += 20
    roster.answered("voting", frozenset({"voting-a"}), statuses("voting-a", "voting-new"))  # ended early
    assert roster.expected("voting") == {"voting-a"}
    clock.now += 10  # 30 s since the last full round: the next one waits the deadline, to find new replicas
    assert roster.expected("voting") == frozenset()
    roster.answered("voting", frozenset(), statuses("voting-a", "voting-new"))
    assert roster.expected("voting") == {"voting-a", "voting-new"}
