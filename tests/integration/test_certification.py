"""Certified results: frozen at results_published, exported, and verifiable from the export alone."""

import asyncio
import json
from pathlib import Path

import pytest
from nats.aio.client import Client

from tests.integration.test_results import NOW, cast, seed_catalog, voter
from veche_dev.results_commands import verify_export, write_export
from veche_results.export import counted_ballots
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.catalog import Contest, ContestEvent, Localized, Phase, Visibility
from veche_shared.contracts.results import Certificate, ContestQuery
from veche_shared.contracts.votes import AnnulledVote, VotesAnnulled
from veche_shared.rpc import RpcError, call

pytestmark = pytest.mark.integration


async def certificate_of(nc: Client, contest: str) -> dict:
    for _ in range(200):
        try:
            return await call(nc, subjects.rpc("results", "certificate"), ContestQuery(contest=contest), timeout=5)
        except RpcError as exc:
            if exc.code != "not_certified":
                raise
        await asyncio.sleep(0.05)
    raise AssertionError("no certificate was issued")


async def test_publication_freezes_a_verifiable_certificate(
    nc: Client, results: ResultsSettings, uid: str, tmp_path: Path
) -> None:
    contest = f"cert-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.hidden)
    seqs = [await cast(nc, contest, p, n) for n, p in enumerate(["perm", "perm", "oxford", "perm"])]
    annul = VotesAnnulled(
        annulment_id=f"a{uid}",
        contest=contest,
        nomination="n",
        reason="fraud",
        operator="t",
        occurred_at=NOW,
        votes=[AnnulledVote(vote_id="v1", practice=f"{contest}-perm", voter_hash=voter(1), sequence=seqs[1])],
    )
    await nc.jetstream().publish(
        subjects.votes_annulled(contest, "n", annul.annulment_id), annul.model_dump_json().encode()
    )
    with pytest.raises(RpcError, match="not_certified"):
        await call(nc, subjects.rpc("results", "certificate"), ContestQuery(contest=contest), timeout=5)

    published = Contest(
        id=contest, title=Localized(en=contest), phase=Phase.results_published, visibility=Visibility.hidden, version=2
    )
    event = ContestEvent(type="ContestPhaseChanged", contest=published)
    await nc.jetstream().publish(subjects.catalog_event("contest", contest), event.model_dump_json().encode())

    certificate = await certificate_of(nc, contest)
    assert certificate["standings"] == {"n": {f"{contest}-perm": 2, f"{contest}-oxford": 1}}
    assert (certificate["ballots"], certificate["annulled"]) == (4, 1)

    write_export(tmp_path, Certificate.model_validate(certificate), await counted_ballots(nc.jetstream(), contest))
    assert verify_export(tmp_path / "certificate.json", tmp_path / "ballots.jsonl") == 0
    assert (tmp_path / "ballots.csv").read_text().count("\n") == 5

    lines = (tmp_path / "ballots.jsonl").read_text().splitlines()
    edited = json.loads(lines[2])
    edited["practice"] = f"{contest}-perm"  # move oxford's ballot to perm
    lines[2] = json.dumps(edited, sort_keys=True, separators=(",", ":"))
    (tmp_path / "ballots.jsonl").write_text("\n".join(lines) + "\n")
    assert verify_export(tmp_path / "certificate.json", tmp_path / "ballots.jsonl") == 1
