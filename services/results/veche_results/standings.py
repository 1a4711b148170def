"""Turn tallies into a leaderboard: shares, ranks with ties (1, 1, 3), visibility.

A practice's share is its votes over the nomination's ballots: for a single choice the ballots are the votes
(their sum), for an approval nomination the count of ballots the results service keeps beside the tallies.
"""

from datetime import datetime

from veche_results.ports import Tally
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import Contest
from veche_shared.contracts.results import Leaderboard, LeaderboardEntry
from veche_shared.contracts.texts import UNDETERMINED, pick


def build(
    view: CatalogView,
    contest: Contest,
    nomination: str,
    tallies: list[Tally],
    *,
    reveal: bool,
    at: datetime,
    ballots: int = 0,
    last_hour: dict[str, int] | None = None,
) -> Leaderboard:
    """Standings of a nomination as of `at`; numbers only if reveal (public visibility or an operator).

    `ballots`: the nomination's counted ballots (only read for an approval nomination)."""
    by_practice = {t.practice: t for t in tallies}
    version = max((t.last_seq for t in tallies), default=0)
    found = view.nominations.get((contest.id, nomination))
    max_choices = found.max_choices if found else 1
    if not reveal:
        return Leaderboard(
            contest=contest.id,
            nomination=nomination,
            max_choices=max_choices,
            visible=False,
            total_votes=0,
            entries=[],
            version=version,
            updated_at=at,
        )
    rows = []
    for practice in view.approved_practices(contest.id, nomination):
        tally = by_practice.get(practice.id)
        municipality = view.municipalities.get(practice.municipality)
        rows.append((tally.votes if tally else 0, practice, municipality, tally.last_vote_at if tally else None))
    rows.sort(key=lambda r: (-r[0], pick(r[1].title, contest.default_language).casefold(), r[1].id))
    total = sum(r[0] for r in rows)
    ballots = ballots if max_choices > 1 else total
    entries, rank = [], 0
    for position, (votes, practice, municipality, last_vote_at) in enumerate(rows, start=1):
        if position == 1 or votes != rows[position - 2][0]:
            rank = position
        entries.append(
            LeaderboardEntry(
                practice=practice.id,
                title=practice.title,
                municipality=practice.municipality,
                municipality_name=municipality.name if municipality else {UNDETERMINED: practice.municipality},
                votes=votes,
                share=min(1.0, votes / ballots) if ballots > 0 else 0.0,
                rank=rank,
                last_vote_at=last_vote_at,
                change_last_hour=(last_hour or {}).get(practice.id, 0),
            )
        )
    return Leaderboard(
        contest=contest.id,
        nomination=nomination,
        visible=True,
        total_votes=total,
        total_ballots=max(ballots, 0),
        max_choices=max_choices,
        entries=entries,
        version=version,
        updated_at=at,
    )
