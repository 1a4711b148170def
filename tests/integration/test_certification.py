"""Certified results: frozen at results_published, exported, and verifiable from the export alone."""

import json
from pathlib import Path

import pytest
from nats.aio.client import Client

from tests.integration.results_helpers import cast, certificate, change_phase, seed_catalog
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_dev.results_ops import verify_export, write_export
from veche_results.certificate import verify
from veche_results.export import counted_ballots
from veche_results.log_certificate import ledger_entries
from veche_results.settings import ResultsSettings
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.results import BallotPageQuery, Certificate
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call


async def test_publication_freezes_a_verifiable_certificate(
    nc: Client, results: ResultsSettings, uid: str, tmp_path: Path
) -> None:
    contest = f"cert-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.hidden)
    seqs = [await cast(nc, contest, p, n) for n, p in enumerate(["perm", "perm", "oxford", "perm"])]
    await f.record(nc, f.annulment(contest, f"a{uid}", [(f.ballot(contest, f"{contest}-perm", 1), seqs[1])]))
    assert await certificate(nc, contest) is None

    await change_phase(nc, contest, Phase.results_published, Visibility.hidden)
    issued = await eventually(lambda: certificate(nc, contest), what="a certificate")
    assert issued["standings"] == {"n": {f"{contest}-perm": 2, f"{contest}-oxford": 1}}
    assert (issued["ballots"], issued["annulled"]) == (4, 1)

    ballots, entries = await counted_ballots(nc.jetstream(), contest), await ledger_entries(nc.jetstream(), contest)
    write_export(tmp_path, Certificate.model_validate(issued), ballots, entries)
    assert verify_export(tmp_path / "certificate.json", tmp_path / "ballots.jsonl") == 0
    assert (tmp_path / "ballots.csv").read_text().count("\n") == 5

    lines = (tmp_path / "ballots.jsonl").read_text().splitlines()
    edited = json.loads(lines[2])
    edited["practice"] = f"{contest}-perm"  # move oxford's ballot to perm
    lines[2] = json.dumps(edited, sort_keys=True, separators=(",", ":"))
    (tmp_path / "ballots.jsonl").write_text("\n".join(lines) + "\n")
    assert verify_export(tmp_path / "certificate.json", tmp_path / "ballots.jsonl") == 1


async def test_ballot_pages_add_up_to_the_certified_export(nc: Client, results: ResultsSettings, uid: str) -> None:
    """The HTTP export's pages: in ledger order, annulled ones marked, nothing past the certificate."""
    contest = f"pages-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.hidden)
    seqs = [await cast(nc, contest, p, n) for n, p in enumerate(["perm", "oxford", "perm", "perm", "oxford"])]
    await f.record(nc, f.annulment(contest, f"a{uid}", [(f.ballot(contest, f"{contest}-perm", 2), seqs[2])]))
    page_query = BallotPageQuery(contest=contest)
    with pytest.raises(DomainError, match="not_certified"):
        await call(nc, results_ops.BALLOT_PAGE, page_query, timeout=5)

    await change_phase(nc, contest, Phase.results_published, Visibility.hidden)
    issued = Certificate.model_validate(await eventually(lambda: certificate(nc, contest), what="a certificate"))
    pages = []
    after: int | None = 0
    while after is not None:
        page = await call(
            nc, results_ops.BALLOT_PAGE, BallotPageQuery(contest=contest, after=after, limit=2), timeout=5
        )
        pages.append(page.ballots)
        after = page.next_after
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [b for p in pages for b in p] == await counted_ballots(nc.jetstream(), contest)
    assert verify(issued, [b for p in pages for b in p]) == []
