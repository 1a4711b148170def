"""What a protocol says, computed from the catalog, the standings and (once published) the certificate.

The certificate is the truth of a published contest: its votes per practice are the ones the protocol prints.
Before publication operators may print a preliminary protocol from the live standings, marked as such.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from veche_shared.contracts.catalog import Contest, Nomination
from veche_shared.contracts.results import Certificate, Leaderboard, LeaderboardEntry


@dataclass(frozen=True)
class Standing:
    place: int
    practice: str
    title: dict[str, str]
    municipality: str
    municipality_name: dict[str, str]
    votes: int
    share: float


@dataclass(frozen=True)
class NominationResult:
    id: str
    title: dict[str, str]
    ballots: int
    standings: list[Standing]

    def ties(self) -> list[list[Standing]]:
        """Groups of two or more practices sharing a place (ties are not broken: 1, 1, 3)."""
        groups = [list(group) for _, group in groupby(self.standings, key=lambda s: s.place)]
        return [group for group in groups if len(group) > 1]


@dataclass(frozen=True)
class Protocol:
    contest: Contest
    nominations: list[NominationResult]
    certificate: Certificate | None
    drawn_at: datetime
    log_key: str | None = None  # the verifier key of the logs' checkpoints (docs/verifiability.md)

    @property
    def final(self) -> bool:
        return self.certificate is not None

    def languages(self) -> list[str]:
        """The contest's languages: its default first, then every other its title is written in."""
        return list(dict.fromkeys([self.contest.default_language, *self.contest.title]))


def ranked(entries: list[LeaderboardEntry], votes: dict[str, int], ballots: int) -> list[Standing]:
    """Standings by votes (most first; equal votes share a place and the next place is skipped); a share is of
    the nomination's ballots (an approval ballot may count for several practices)."""
    ordered = sorted(entries, key=lambda e: (-votes.get(e.practice, 0), e.practice))
    standings: list[Standing] = []
    for index, entry in enumerate(ordered):
        count = votes.get(entry.practice, 0)
        tied = standings and standings[-1].votes == count
        place = standings[-1].place if tied else index + 1
        share = count / ballots if ballots else 0.0
        standings.append(Standing(place, entry.practice, dict(entry.title), entry.municipality,
                                  dict(entry.municipality_name), count, share))  # fmt: skip
    return standings


def unlisted(practice: str) -> LeaderboardEntry:
    """A counted practice the standings no longer list: named by its id rather than left out."""
    return LeaderboardEntry.model_construct(practice=practice, title={"und": practice}, municipality="",
                                            municipality_name={}, votes=0, share=0.0, rank=1)  # fmt: skip


def build(
    contest: Contest,
    nominations: list[Nomination],
    boards: list[Leaderboard],
    certificate: Certificate | None,
    drawn_at: datetime,
    log_key: str | None = None,
) -> Protocol:
    """The protocol of a contest: every shown nomination in display order with its standings; a certified one is
    dated by its certificate (so it reads the same every time it is printed), a preliminary one `drawn_at`."""
    by_nomination = {board.nomination: board for board in boards}
    results = []
    for nomination in sorted((n for n in nominations if not n.archived), key=lambda n: (n.order, n.id)):
        board = by_nomination.get(nomination.id)
        entries = board.entries if board else []
        if certificate is not None:
            votes = certificate.standings.get(nomination.id, {})
            listed = {entry.practice for entry in entries}
            entries = [*entries, *(unlisted(p) for p in votes if p not in listed)]
            ballots = (certificate.nomination_ballots or {}).get(nomination.id, sum(votes.values()))
        else:
            votes = {entry.practice: entry.votes for entry in entries}
            ballots = board.total_ballots or board.total_votes if board else 0
        standings = ranked(entries, votes, ballots)
        results.append(NominationResult(nomination.id, dict(nomination.title), ballots, standings))
    return Protocol(contest, results, certificate, certificate.issued_at if certificate else drawn_at, log_key)
