"""Approval nominations ("choose up to k") in results: a set counts once per practice it approves and once as a
ballot, annulments take out whole sets, and the recount, certificate (version 2) and `veche verify` agree."""

import json
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from tests.integration.results_helpers import certificate, change_phase, standings, standings_when
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_dev.results_ops import verify_export, write_export
from veche_results.export import counted_ballots
from veche_results.recount import recount
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.catalog import Phase, Visibility
from veche_shared.contracts.results import Certificate, LeaderboardQuery
from veche_shared.contracts.votes import VoteCast
from veche_shared.mongo import make_mongo
from veche_shared.operations import results as results_ops
from veche_shared.rpc import call

CITIES = ["perm", "kazan", "oxford", "tver"]


async def seed_approval(nc: Client, contest: str) -> None:
    """Nomination "n" approves up to 3 of four practices `<contest>-<city>`; nomination "one" is single-choice."""
    practices = {
        "n": [f.practice(contest, f"{contest}-{c}", "n", municipality=c) for c in CITIES],
        "one": [f.practice(contest, f"{contest}-one-{c}", "one", municipality=c) for c in CITIES[:2]],
    }
    found = f.contest(contest, visibility=Visibility.hidden)
    await f.publish_catalog(nc, f.catalog(found, practices, {"n": (3, 1)}))


def ballot(contest: str, cities: list[str], n: int) -> VoteCast:
    return f.ballot(contest, [f"{contest}-{c}" for c in cities], n)


async def test_approval_sets_count_once_per_practice_recount_and_verify(
    nc: Client, results: ResultsSettings, infra: dict[str, str], uid: str, tmp_path: Path
) -> None:
    contest = f"appr-{uid}"
    await seed_approval(nc, contest)
    sets = [["perm", "kazan", "oxford"], ["perm"], ["kazan", "oxford"], ["perm", "oxford"], ["tver", "perm"]]
    seqs = [await f.record(nc, ballot(contest, cities, n)) for n, cities in enumerate(sets)]
    await f.record(nc, f.ballot(contest, f"{contest}-one-perm", 10, nomination="one"))
    annulled = [(ballot(contest, sets[3], 3), seqs[3]), (ballot(contest, sets[4], 4), seqs[4])]
    last = await f.record(nc, f.annulment(contest, f"a{uid}", annulled))

    def votes(board: dict[str, Any]) -> dict[str, Any]:
        return {e["practice"].removeprefix(f"{contest}-"): (e["votes"], e["rank"]) for e in board["entries"]}

    expected = {"perm": (2, 1), "kazan": (2, 1), "oxford": (2, 1), "tver": (0, 4)}
    await standings_when(nc, contest, version=last)
    board = await eventually(  # counters are written one by one: the last may trail the version a moment
        lambda: standings(nc, contest), lambda b: votes(b) == expected, what="the standings"
    )
    assert (board["total_ballots"], board["total_votes"], board["max_choices"]) == (3, 6, 3)
    assert {round(e["share"], 4) for e in board["entries"]} == {round(2 / 3, 4), 0.0}
    one = LeaderboardQuery(contest=contest, nomination="one", include_hidden=True)
    single = await eventually(  # another nomination, so maybe another ledger partition: applied in its own time
        lambda: call(nc, results_ops.LEADERBOARD_GET, one, timeout=5), lambda b: b.total_ballots == 1, what="board one"
    )
    assert (single.total_ballots, single.max_choices, single.entries[0].share) == (1, 1, 1.0)

    mongo = make_mongo(infra["mongodb_url"], "test")
    try:
        assert (await recount(nc.jetstream(), mongo, results.database, contest)).differences == []
        await mongo[results.database].ballots.update_one({"_id": f"{contest}:n"}, {"$inc": {"votes": 1}})
        differences = (await recount(nc.jetstream(), mongo, results.database, contest)).differences
        await mongo[results.database].ballots.update_one({"_id": f"{contest}:n"}, {"$inc": {"votes": -1}})
    finally:
        await mongo.close()
    assert [(d.nomination, d.practice, d.live - d.recounted) for d in differences] == [("n", None, 1)]

    await change_phase(nc, contest, Phase.results_published, Visibility.hidden)
    issued = Certificate.model_validate(await eventually(lambda: certificate(nc, contest), what="a certificate"))
    assert issued.schema_version == 2
    assert issued.standings == {
        "n": {f"{contest}-kazan": 2, f"{contest}-oxford": 2, f"{contest}-perm": 2},
        "one": {f"{contest}-one-perm": 1},
    }
    assert issued.nomination_ballots == {"n": 3, "one": 1}
    assert (issued.ballots, issued.annulled) == (6, 2)

    write_export(tmp_path, issued, await counted_ballots(nc.jetstream(), contest))
    assert verify_export(tmp_path / "certificate.json", tmp_path / "ballots.jsonl") == 0
    lines = (tmp_path / "ballots.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    assert first["practices"] == sorted(f"{contest}-{c}" for c in sets[0])
    assert "practice" not in first
    assert "practices" in (tmp_path / "ballots.csv").read_text().splitlines()[0]
    first["practices"] = first["practices"][:2]  # drop one approval from the first set
    lines[0] = json.dumps(first, sort_keys=True, separators=(",", ":"))
    (tmp_path / "ballots.jsonl").write_text("\n".join(lines) + "\n")
    assert verify_export(tmp_path / "certificate.json", tmp_path / "ballots.jsonl") == 1


async def test_version_1_events_in_the_ledger_are_read_as_sets_of_one(
    nc: Client, results: ResultsSettings, uid: str
) -> None:
    """Ballots and annulments written before sets (schema_version 1, one `practice`) still count."""
    contest = f"v1-{uid}"
    await seed_approval(nc, contest)
    old = [
        {**ballot(contest, [city], n).model_dump(mode="json", exclude={"practices"}), "schema_version": 1}
        | {"practice": f"{contest}-{city}"}
        for n, city in enumerate(["perm", "perm", "kazan"])
    ]
    js = nc.jetstream()
    seqs = []
    for event in old:
        subject = subjects.vote_cast(contest, event["voter_hash"])
        seqs.append((await js.publish(subject, json.dumps(event).encode())).seq)
    annulment = f.annulment(contest, f"a{uid}", [(ballot(contest, ["perm"], 0), seqs[0])]).model_dump(mode="json")
    annulment["schema_version"] = 1
    annulment["votes"] = [
        {k: v for k, v in vote.items() if k != "practices"} | {"practice": vote["practices"][0]}
        for vote in annulment["votes"]
    ]
    subject = subjects.votes_annulled(contest, "n", annulment["annulment_id"])
    last = (await js.publish(subject, json.dumps(annulment).encode())).seq

    await standings_when(nc, contest, version=last)
    expected = {f"{contest}-perm": 1, f"{contest}-kazan": 1}

    def counted(board: dict[str, Any]) -> tuple[dict[str, int], int]:
        return {e["practice"]: e["votes"] for e in board["entries"] if e["votes"]}, board["total_ballots"]

    await eventually(lambda: standings(nc, contest), lambda b: counted(b) == (expected, 2), what="v1 events counted")
    assert [b.practices for b in await counted_ballots(js, contest)] == [
        [f"{contest}-{c}"] for c in ["perm"] * 2 + ["kazan"]
    ]
