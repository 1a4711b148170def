"""Freezes the final standings of a contest when its results are published."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from veche_results.certificate import certify
from veche_results.checkpoints import LogMismatch
from veche_results.log_certificate import expected_size
from veche_results.ports import CertificateStore, LedgerReads, Tallies
from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.results import APPROVAL, SINGLE_CHOICE, Certificate
from veche_shared.contracts.tlog import FinalCheckpoint

log = logging.getLogger("veche.results.certifier")


class Certificates:
    """The CertificateStore port on MongoDB (collection certificates)."""

    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], database: str) -> None:
        self._collection = mongo[database].certificates

    async def get(self, contest: str) -> Certificate | None:
        doc = await self._collection.find_one({"_id": contest}, {"_id": 0})
        return Certificate.model_validate(doc) if doc else None

    async def add(self, certificate: Certificate) -> bool:
        """Store a contest's certificate; False if one is there already (another results process was first)."""
        try:
            await self._collection.insert_one({"_id": certificate.contest, **certificate.model_dump(mode="json")})
        except DuplicateKeyError:
            return False
        return True


def schema_of(view: CatalogView, contest: str) -> int:
    """Version 2 for a contest with an approval nomination, else 1 (what every single-choice contest had)."""
    approval = any(n.approval for (c, _), n in view.nominations.items() if c == contest)
    return APPROVAL if approval else SINGLE_CHOICE


class Certifier:
    def __init__(
        self,
        ledger: LedgerReads,
        certificates: CertificateStore,
        tallies: Tallies,
        applied_through: Callable[[int], Awaitable[bool]],
        clock: Callable[[], datetime],
        view: CatalogView,
        final_logs: Callable[[str, dict[str, int]], Awaitable[dict[str, FinalCheckpoint]]],
    ) -> None:
        self._view = view
        self._final_logs = final_logs
        self._ledger = ledger
        self._clock = clock
        self._certificates = certificates
        self._tallies = tallies
        self._applied_through = applied_through
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def schedule(self, contest: str) -> None:
        """Certify in the background (idempotent); called when a contest reaches results_published."""
        if contest not in self._tasks or self._tasks[contest].done():
            self._tasks[contest] = asyncio.create_task(self.certify(contest), name=f"certify-{contest}")

    async def certify(self, contest: str) -> None:
        """Issue the certificate once every partition has applied the whole ledger; never overwrite one.

        The contest's voting is closed, so its part of the ledger ends before the ledger's present last sequence;
        once every partition's consumer (asked of the server) has applied its share up to there, every tally of the
        contest is final."""
        if await self._certificates.get(contest) is not None:
            return
        target = await self._ledger.last_sequence()
        while not await self._applied_through(target):  # noqa: ASYNC110 - polls the consumers on the server
            await asyncio.sleep(0.25)
        ballots = await self._ledger.counted_ballots(contest)
        certificate = certify(contest, ballots, self._clock(), schema_of(self._view, contest))
        live = {k: v for k, v in (await self._tallies.contest_counts(contest)).items() if v}
        flat = {(n, p): v for n, practices in certificate.standings.items() for p, v in practices.items()}
        if certificate.nomination_ballots is not None:
            live_ballots = {n: v for n, v in (await self._tallies.contest_ballots(contest)).items() if v}
            same_ballots = live_ballots == {n: v for n, v in certificate.nomination_ballots.items() if v}
        else:
            same_ballots = True
        if live != flat or not same_ballots:
            log.error("not certifying %s: the live tallies differ from the ledger; run a recount", contest)
            return
        sizes = {n: expected_size(ballots, n) for (c, n) in self._view.nominations if c == contest}
        try:
            certificate = certificate.model_copy(update={"logs": await self._final_logs(contest, sizes)})
        except LogMismatch as exc:
            log.error("not certifying %s: %s; run a recount", contest, exc)
            return
        if await self._certificates.add(certificate):
            log.info("certified %s: %d ballots, digest %s", contest, certificate.ballots, certificate.digest_sha256)

    async def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
