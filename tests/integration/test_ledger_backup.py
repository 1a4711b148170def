"""Disaster drill: back up VOTES and CATALOG, restore them on a fresh nats-server, rebuild results from the
ledger alone, and check that the certificate issued before the disaster still verifies."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import nats
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.integration.cli_helpers import veche_in_process
from tests.integration.results_helpers import cast, certificate, change_phase, seed_catalog
from tests.provisioning import provision_bus
from veche_dev import devstack
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_results.app import build_app
from veche_results.certificate import verify
from veche_results.export import counted_ballots
from veche_results.settings import ResultsSettings
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.results import Certificate, ContestQuery
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call

CONTEST = "drill"


async def veche(*args: str) -> int:
    """The operator command line in this process and its environment (tests/integration/cli_helpers.py)."""
    code, _, _ = await asyncio.wait_for(veche_in_process(*args), 120)
    return code


@asynccontextmanager
async def results_on(nats_url: str, mongodb_url: str, database: str) -> AsyncIterator[None]:
    settings = ResultsSettings(nats_url=nats_url, mongodb_url=mongodb_url, database=database, consumer=database)
    await provision_bus(nats_url, settings)
    app = build_app(settings, registry=CollectorRegistry())
    async with app.router.lifespan_context(app):
        yield


async def fill_ledger(nc: Client) -> None:
    """Ballots over two practices, one of them annulled, then the results published."""
    await seed_catalog(nc, CONTEST, ["perm", "oxford"], Visibility.live)
    seqs = [await cast(nc, CONTEST, practice, n) for n, practice in enumerate(["perm", "oxford", "perm"] * 7)]
    await f.record(nc, f.annulment(CONTEST, "a1", [(f.ballot(CONTEST, f"{CONTEST}-perm", 2), seqs[2])]))
    await change_phase(nc, CONTEST, Phase.results_published, Visibility.live)


async def issued(nc: Client) -> Certificate:
    return Certificate.model_validate(await eventually(lambda: certificate(nc, CONTEST), what="a certificate"))


async def test_the_ledger_restored_on_a_fresh_server_rebuilds_the_certified_results(
    infra: dict[str, str], uid: str, tmp_path: Path
) -> None:
    logs, backup = Path(infra["logs"]), tmp_path / "backup"
    ports = devstack.free_port(), devstack.free_port()
    old = devstack.start_nats(ports[0], tmp_path / "old", logs)
    new = devstack.start_nats(ports[1], tmp_path / "new", logs)
    old_url, new_url = (f"nats://127.0.0.1:{p}" for p in ports)
    try:
        async with results_on(old_url, infra["mongodb_url"], f"drill_old_{uid}"):
            nc = await nats.connect(old_url)
            await fill_ledger(nc)
            before = await issued(nc)
            await nc.close()
        assert await veche("ledger-backup", str(backup), "--nats", old_url) == 0
        assert await veche("ledger-restore", str(backup), "--nats", old_url) == 1  # never over a live ledger
        old.kill()  # the disaster

        assert await veche("ledger-restore", str(backup), "--nats", new_url) == 0
        async with results_on(new_url, infra["mongodb_url"], f"drill_new_{uid}"):
            nc = await nats.connect(new_url)
            after = await issued(nc)
            report = await call(nc, results_ops.LEDGER_RECOUNT, ContestQuery(contest=CONTEST), timeout=60)
            restored_ballots = await counted_ballots(nc.jetstream(), CONTEST)
            await nc.close()
    finally:
        old.stop()
        new.stop()
    assert (before.ballots, before.annulled) == (21, 1)
    assert after.model_dump(exclude={"issued_at"}) == before.model_dump(exclude={"issued_at"})
    assert verify(before, restored_ballots) == []
    assert report.differences == []
