"""Helpers of the results tests: a contest of practices `<contest>-<municipality>` in nomination "n", ballots."""

from typing import Any

from nats.aio.client import Client
from pydantic_core import to_jsonable_python

from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.results import ContestQuery, LeaderboardQuery
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call


async def seed_catalog(nc: Client, contest: str, municipalities: list[str], visibility: Visibility) -> None:
    """An open contest; nomination "n" has one approved practice `<contest>-<m>` per municipality m."""
    practices = [f.practice(contest, f"{contest}-{m}", municipality=m) for m in municipalities]
    await f.publish_catalog(nc, f.catalog(f.contest(contest, visibility=visibility), {"n": practices}))


async def change_phase(nc: Client, contest: str, phase: Phase, visibility: Visibility) -> int:
    changed = f.contest(contest, phase=phase, visibility=visibility, version=2)
    return await f.publish_change(nc, changed, "ContestPhaseChanged")


async def cast(nc: Client, contest: str, municipality: str, n: int) -> int:
    """Voter n's ballot for `<contest>-<municipality>`; returns its ledger sequence."""
    return await f.record(nc, f.ballot(contest, f"{contest}-{municipality}", n))


async def standings(nc: Client, contest: str, nomination: str = "n", *, hidden: bool = True) -> dict[str, Any]:
    query = LeaderboardQuery(contest=contest, nomination=nomination, include_hidden=hidden)
    board: dict[str, Any] = to_jsonable_python(await call(nc, results_ops.LEADERBOARD_GET, query, timeout=5))
    return board


async def standings_when(
    nc: Client, contest: str, *, total: int | None = None, version: int | None = None, timeout: float = 30
) -> dict[str, Any]:
    """Operator standings once they show `total` votes and have applied the ledger up to `version` (each when
    given): a reader may see a batch half-applied, since its tallies are written one practice at a time."""

    def reached(board: dict[str, Any]) -> bool:
        return (total is None or board["total_votes"] == total) and (version is None or board["version"] >= version)

    return await eventually(
        lambda: standings(nc, contest),
        reached,
        what=f"standings with total {total} at version {version}",
        timeout=timeout,
    )


async def certificate(nc: Client, contest: str) -> dict[str, Any] | None:
    """The contest's certificate, or None while it is not issued."""
    try:
        issued = await call(nc, results_ops.CERTIFICATE_GET, ContestQuery(contest=contest), timeout=5)
        document: dict[str, Any] = to_jsonable_python(issued)
        return document
    except DomainError as exc:
        if exc.code != "not_certified":
            raise
        return None
