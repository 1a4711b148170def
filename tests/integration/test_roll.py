"""A contest's voter roll through the gateway, the voting service and results, on the real nats-server: the CSV
upload (all or nothing, errors by line), keyed hashes only, a voter off the roll refused, replace before voting
and add-only after, the audit entry, and turnout for operators."""

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from tests.gateway_helpers import in_process_gateway
from tests.voting_helpers import Clock, Keys, running_voting, seed, token, voting_settings, wait_known
from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_gateway.settings import GatewaySettings
from veche_results.settings import ResultsSettings
from veche_shared import subjects
from veche_shared.contracts.catalog import Phase

ADMIN, OBSERVER = "roll-admin-key", "roll-observer-key"
RESIDENTS = ["4510-778812", "4510-778813", "Ivanova Anna 1990-02-01"]


@pytest.fixture(scope="module")
async def gateway(infra: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The voting service and the gateway in this process."""
    keys = Keys.make(tmp_path_factory.mktemp("keys"))
    operators = [f.operator_key("admin-1", "admin", ADMIN), f.operator_key("observer-1", "observer", OBSERVER)]
    settings = GatewaySettings(environment="test", nats_url=infra["nats_url"], operator_keys=operators)
    voting = voting_settings(infra["nats_url"], keys, operator_keys=operators)
    async with running_voting(voting, Clock(), CollectorRegistry()), in_process_gateway(settings) as gw:
        yield gw.client


async def upload(gateway: httpx.AsyncClient, contest: str, text: str, mode: str = "replace") -> httpx.Response:
    return await gateway.post(
        "/api/v1/admin/roll-uploads",
        params={"contest": contest, "mode": mode},
        content=text.encode(),
        headers={"X-API-Key": ADMIN, "Content-Type": "text/csv"},
    )


def csv_of(*identifiers: str) -> str:
    return "id\n" + "".join(f"{i}\n" for i in identifiers)


async def test_a_roll_admits_only_its_voters_and_grows_once_voting_is_open(
    gateway: httpx.AsyncClient, nc: Client, uid: str, results: ResultsSettings
) -> None:
    seeded = await seed(nc, f"r-{uid}", phase=Phase.submissions_open, roll_claim="resident")
    await wait_known(nc, seeded, token(seeded.contest, "probe"))
    contest, path = seeded.contest, f"/api/v1/contests/{seeded.contest}/nominations/{seeded.nomination}/votes"

    rejected = await upload(gateway, contest, csv_of(RESIDENTS[0], "x" * 129, "", RESIDENTS[0], "a,b"))
    assert (rejected.status_code, rejected.json()["code"]) == (422, "import_rejected")
    assert [(p["line"], p["code"]) for p in rejected.json()["errors"]] == [
        (3, "too_long"),
        (5, "repeated"),
        (6, "extra_cells"),
    ]
    assert RESIDENTS[0] not in rejected.text
    header = await upload(gateway, contest, "resident\n" + RESIDENTS[0])
    assert [p["code"] for p in header.json()["errors"]] == ["bad_header"]
    status = await gateway.get(f"/api/v1/admin/contests/{contest}/roll", headers={"X-API-Key": OBSERVER})
    assert (status.json()["head"], status.json()["claim"]) == (None, "resident")

    first = await upload(gateway, contest, csv_of("someone-else"))
    assert first.json()["entries"] == 1
    replaced = await upload(gateway, contest, csv_of(*RESIDENTS[:2]))
    assert (replaced.status_code, replaced.json()["mode"], replaced.json()["entries"]) == (200, "replace", 2)

    opened = f.contest(contest, phase=Phase.voting_open, roll_claim="resident", version=2)
    await f.publish_change(nc, opened, "ContestPhaseChanged")

    def voter(name: str, **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(contest, name, **claims)}"}

    async def cast(headers: dict[str, str]) -> tuple[int, str]:
        answer = await gateway.post(path, json={"practice": seeded.practice}, headers=headers)
        return answer.status_code, answer.json().get("code", "")

    await eventually(lambda: cast(voter("a", resident=RESIDENTS[0])), lambda got: got[0] == 202, what="voting open")
    assert await cast(voter("z", resident="not-a-resident")) == (403, "not_on_roll")
    assert await cast(voter("someone-else", resident="someone-else")) == (403, "not_on_roll")  # replaced away
    assert await cast(voter("no-claim")) == (403, "not_on_roll")

    locked = await upload(gateway, contest, csv_of(RESIDENTS[2]))
    assert (locked.status_code, locked.json()["code"]) == (409, "roll_locked")
    added = await upload(gateway, contest, csv_of(RESIDENTS[1], RESIDENTS[2]), mode="add")
    assert {k: added.json()[k] for k in ("mode", "added", "already", "entries")} == {
        "mode": "add",
        "added": 1,
        "already": 1,
        "entries": 3,
    }
    assert await cast(voter("c", resident=RESIDENTS[2])) == (202, "")

    async def turnout() -> dict[str, Any]:
        answer = await gateway.get(f"/api/v1/admin/contests/{contest}/roll", headers={"X-API-Key": OBSERVER})
        turnout: dict[str, Any] = answer.json()["turnout"]
        return turnout

    seen = await eventually(turnout, lambda t: t.get(seeded.nomination, {}).get("ballots") == 2, what="turnout")
    assert seen[seeded.nomination]["share"] == pytest.approx(2 / 3)
    public = await gateway.get(f"/api/v1/admin/contests/{contest}/roll")
    assert public.status_code == 401

    js = nc.jetstream()
    info = await js.stream_info(subjects.ROLL_STREAM, subjects_filter=f"roll.entry.{contest}.>")
    stored = (await js.get_last_msg(subjects.ROLL_STREAM, subjects.roll_head(contest))).data or b""
    for subject in info.state.subjects or {}:
        stored += subject.encode() + ((await js.get_last_msg(subjects.ROLL_STREAM, subject)).data or b"")
    assert len(info.state.subjects or {}) == 1 + 3  # entries: the first roll's one, the three of the roll in force
    assert not any(r.encode() in stored for r in [*RESIDENTS, "someone-else"])
    audit = await js.get_last_msg(subjects.AUDIT_STREAM, subjects.audit(contest))
    entry = json.loads(audit.data or b"")
    assert (entry["action"], entry["status"], entry["recorded_by"], entry["change"]) == (
        "upload_roll", 200, "voting", {"mode": "add"},
    )  # fmt: skip
    assert (entry["after"]["entries"], entry["operator"]) == (3, "admin-1")
    assert not any(r in (audit.data or b"").decode() for r in RESIDENTS)


@pytest.mark.heavy
async def test_a_large_roll_goes_in_parts_and_only_whole(
    gateway: httpx.AsyncClient, nc: Client, uid: str, results: ResultsSettings
) -> None:
    seeded = await seed(nc, f"big-{uid}", phase=Phase.submissions_open, roll_claim="resident")
    await wait_known(nc, seeded, token(seeded.contest, "probe"))
    residents = [f"resident-{n:06d}" for n in range(25_000)]  # three parts of at most 10,000
    started = time.perf_counter()
    done = await upload(gateway, seeded.contest, csv_of(*residents))
    seconds = time.perf_counter() - started
    assert (done.status_code, done.json()["entries"]) == (200, 25_000), done.text
    print(f"25,000 identifiers uploaded in {seconds:.1f} s")

    before = await gateway.get(f"/api/v1/admin/contests/{seeded.contest}/roll", headers={"X-API-Key": ADMIN})
    assert before.status_code == 200, before.text
    broken = await upload(gateway, seeded.contest, csv_of(*residents[:100], "", "\x01", *residents[:1]))
    assert [(p["line"], p["code"]) for p in broken.json()["errors"]] == [(103, "control_character"), (104, "repeated")]
    after = await gateway.get(f"/api/v1/admin/contests/{seeded.contest}/roll", headers={"X-API-Key": ADMIN})
    assert after.json()["head"] == before.json()["head"]
