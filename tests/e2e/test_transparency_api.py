"""The transparency log through the gateway: a voter's ballot is in the signed checkpoint, tiles and proofs check
out with the published key, nothing of a hidden contest's log is public."""

import base64
import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import nats
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.live_helpers import admin_client, ok, open_contest, running_platform, token_of, vote
from tests.sync import run
from veche_dev import devstack
from veche_dev.eventually import eventually_sync
from veche_dev.witness import Refused, witness_once
from veche_shared import subjects
from veche_shared.contracts.results import Leaderboard, LeaderboardChanged
from veche_shared.contracts.votes import Receipt
from veche_shared.tlog import merkle, note
from veche_shared.tlog.entry import cast_entry
from veche_shared.tlog.receipt import holds as receipt_holds
from veche_shared.tlog.seal import holds
from veche_shared.tlog.tiles import MemoryRows

ADMIN_KEY = "e2e-tlog-admin-key-not-a-secret"
WITNESS = note.Signer.generate("news.example/witness")


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    witnesses = json.dumps([WITNESS.verifier.vkey])
    with running_platform(
        infra, "tlog", ADMIN_KEY, VECHE_RESULTS_CHECKPOINT_INTERVAL="0.2", VECHE_RESULTS_WITNESS_KEYS=witnesses
    ) as started:
        yield started


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as client:
        yield client


def log_path(contest: str) -> str:
    return f"/api/v1/contests/{contest}/nominations/n0/log"


def signed_checkpoint(api: httpx.Client, contest: str, size: int, verifier: note.Verifier) -> note.Checkpoint:
    answer = eventually_sync(
        lambda: api.get(f"{log_path(contest)}/checkpoint"),
        lambda r: r.status_code == 200 and r.text.split("\n")[1] == str(size),
        what=f"a signed checkpoint of {size}",
    )
    assert answer.headers["content-type"].startswith("text/plain")
    return note.open_checkpoint(answer.text, verifier, f"veche.localhost/{contest}/n0")[0]


def my_ballot(api: httpx.Client, contest: str, voter: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token_of(contest, voter)}"}
    ballot: dict[str, Any] = ok(api.get(f"/api/v1/contests/{contest}/nominations/n0/my-ballot", headers=headers))
    return ballot


def my_leaf(api: httpx.Client, contest: str, voter: str) -> bytes:
    mine = my_ballot(api, contest, voter)
    cast_at = datetime.fromisoformat(mine["cast_at"])
    entry = cast_entry(contest, "n0", mine["vote_id"], mine["practices"], mine["voter_hash"], cast_at)
    return entry.leaf


PROOFS = ("log.inclusion", "log.consistency")


def results_asked(platform: devstack.Platform) -> float:
    """How many log inclusion and consistency requests the results service has answered."""
    metrics = httpx.get(platform.metrics_url("veche_results"), timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "veche_rpc_requests_total"
        and sample.labels["operation"] in ("log.inclusion", "log.consistency")
    )


def test_every_ballot_is_in_the_signed_log(
    platform: devstack.Platform, api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"tlog-{uid}"
    [practice] = open_contest(admin, contest)
    verifier = note.Verifier.parse(api.get("/api/v1/log/key").text)
    receipts = []
    for n in range(3):
        answer = vote(api, contest, "n0", practice, f"voter-{n}")
        assert answer.status_code == 202
        receipts.append((answer.json()["vote_id"], Receipt.model_validate(answer.json()["receipt"])))
    first = signed_checkpoint(api, contest, 3, verifier)
    for n in range(3, 7):
        assert vote(api, contest, "n0", practice, f"voter-{n}").status_code == 202
    last = signed_checkpoint(api, contest, 7, verifier)

    leaves = [my_leaf(api, contest, f"voter-{n}") for n in range(7)]  # ledger order is cast order here
    for n, (vote_id, receipt) in enumerate(receipts):  # the receipt promised the leaf the log holds
        assert receipt_holds(receipt, contest, "n0", vote_id, verifier)
        assert base64.b64decode(receipt.leaf) == leaves[n]
    assert not receipt_holds(receipts[0][1], contest, "n0", receipts[1][0], verifier)
    for n, (_, receipt) in enumerate(receipts):  # my-ballot gives the receipt again, and finds the entry
        mine = my_ballot(api, contest, f"voter-{n}")
        assert Receipt.model_validate(mine["receipt"]) == receipt
        found = api.get(f"{log_path(contest)}/leaf", params={"leaf": receipt.leaf, "seq": mine["sequence"]})
        assert ok(found)["index"] == n
        assert "immutable" in found.headers["cache-control"]
    assert last.root == merkle.tree_hash(MemoryRows(leaves), 7)
    for n in (0, 4, 6):
        proof = ok(api.get(f"{log_path(contest)}/inclusion", params={"index": n, "size": 7}))
        merkle.verify_inclusion(n, 7, leaves[n], [base64.b64decode(h) for h in proof["hashes"]], last.root)
    consistency = api.get(f"{log_path(contest)}/consistency", params={"old": first.size, "new": 7})
    assert "immutable" in consistency.headers["cache-control"]
    hashes = [base64.b64decode(h) for h in ok(consistency)["hashes"]]
    merkle.verify_consistency(first.size, 7, first.root, last.root, hashes)

    asked = results_asked(platform)  # read again, the same answers come from the gateway's memory
    for n in (0, 4, 6):
        again = api.get(f"{log_path(contest)}/inclusion", params={"index": n, "size": 7})
        merkle.verify_inclusion(n, 7, leaves[n], [base64.b64decode(h) for h in ok(again)["hashes"]], last.root)
    assert ok(api.get(f"{log_path(contest)}/consistency", params={"old": first.size, "new": 7}))["hashes"]
    latest = [ok(api.get(f"{log_path(contest)}/inclusion", params={"index": 2})) for _ in range(3)]
    assert [proof["size"] for proof in latest] == [7] * 3  # against the latest signed checkpoint, a signed size
    assert results_asked(platform) - asked == 1, "only the first proof of entry 2 is asked of the results service"

    tile = api.get(f"{log_path(contest)}/tile/0/000.p/7")
    assert tile.status_code == 200
    assert tile.content == b"".join(leaves)
    assert "immutable" not in tile.headers["cache-control"]
    assert api.get(f"{log_path(contest)}/tile/0/000.p/8").status_code == 404  # beyond the signed checkpoint
    assert api.get(f"{log_path(contest)}/tile/0/1").status_code == 422
    assert api.get(f"{log_path(contest)}/inclusion", params={"index": 7}).status_code == 404


def test_a_hidden_contest_shows_no_checkpoint(api: httpx.Client, admin: httpx.Client, uid: str) -> None:
    contest = f"tlogh-{uid}"
    [practice] = open_contest(admin, contest, visibility="hidden")
    answer = vote(api, contest, "n0", practice, "voter-1")
    assert answer.status_code == 202
    mine = my_ballot(api, contest, "voter-1")
    assert mine["sequence"] is None  # it would count the partition's ballots
    assert mine["receipt"] == answer.json()["receipt"]
    leaf = f"leaf?leaf={quote(mine['receipt']['leaf'])}&seq=1"
    for path in ("checkpoint", "tile/0/000.p/1", "inclusion?index=0", leaf):
        answer = api.get(f"{log_path(contest)}/{path}")
        assert answer.status_code == 404
        assert answer.json()["code"] == "log_hidden", path


def test_the_gateway_refuses_a_board_the_log_key_did_not_seal(
    infra: dict[str, str], api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    """The forged board of issue 27 (999,999 votes at version 2^62, sent on the live subject by a connection that
    may publish there) is refused; the results service's sealed boards keep coming."""
    contest = f"tlogf-{uid}"
    [practice] = open_contest(admin, contest)
    assert vote(api, contest, "n0", practice, "voter-1").status_code == 202
    path = f"/api/v1/contests/{contest}/nominations/n0/leaderboard"
    eventually_sync(lambda: api.get(path).json(), lambda b: b["total_votes"] == 1, what="the first ballot counted")
    forged = LeaderboardChanged(
        contest=contest, nomination="n0", visible=True, total_votes=999_999, entries=[], version=2**62,
        updated_at=None, log_size=999_999, log_root=base64.b64encode(bytes(32)).decode(),
        signature=base64.b64encode(bytes(64)).decode(),
    )  # fmt: skip
    run(publish_raw(infra["harness_url"], subjects.live_leaderboard(contest, "n0"), forged.model_dump_json().encode()))
    assert vote(api, contest, "n0", practice, "voter-2").status_code == 202
    board = eventually_sync(lambda: api.get(path).json(), lambda b: b["total_votes"] == 2, what="the second ballot")
    verifier = note.Verifier.parse(api.get("/api/v1/log/key").text)
    assert holds(Leaderboard.model_validate(board), verifier)
    assert board["log_size"] == 2


async def publish_raw(nats_url: str, subject: str, data: bytes) -> None:
    nc = await nats.connect(nats_url)
    try:
        await nc.publish(subject, data)
        await nc.flush()
    finally:
        await nc.close()


def test_a_witness_cosigns_each_checkpoint_that_extends_the_last_one(
    platform: devstack.Platform, api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"tlogw-{uid}"
    [practice] = open_contest(admin, contest)
    log = log_path(contest)
    verifier = note.Verifier.parse(api.get("/api/v1/log/key").text)
    origin = f"veche.localhost/{contest}/n0"
    state: dict[str, Any] = {}
    assert vote(api, contest, "n0", practice, "voter-1").status_code == 202
    signed_checkpoint(api, contest, 1, verifier)
    assert witness_once(api, log, origin, verifier, WITNESS, state) == f"cosigned {origin} at size 1"
    assert vote(api, contest, "n0", practice, "voter-2").status_code == 202
    signed_checkpoint(api, contest, 2, verifier)
    witness_once(api, log, origin, verifier, WITNESS, state)

    text, signatures = note.open_note(api.get(f"{log}/checkpoint").text, verifier)
    times = [note.check_cosignature(text, s, WITNESS.verifier) for s in signatures]
    assert len(signatures) == 2
    assert times[1] is not None  # the platform's signature, then the witness's cosignature

    stranger = note.Signer.generate("stranger.example/witness")
    line = note.cosign(text, stranger, int(time.time())).line
    refused = api.post(f"{log}/cosignature", json={"size": 2, "cosignature": line})
    assert (refused.status_code, refused.json()["code"]) == (403, "unknown_witness")
    forged = note.cosign(text.replace("\n2\n", "\n3\n"), WITNESS, int(time.time())).line
    refused = api.post(f"{log}/cosignature", json={"size": 2, "cosignature": forged})
    assert (refused.status_code, refused.json()["code"]) == (422, "bad_cosignature")
    state[origin]["root"] = base64.b64encode(bytes(32)).decode()  # as if the log had shown this witness another tree
    assert vote(api, contest, "n0", practice, "voter-3").status_code == 202
    signed_checkpoint(api, contest, 3, verifier)
    with pytest.raises(Refused, match="does not extend"):
        witness_once(api, log, origin, verifier, WITNESS, state)
