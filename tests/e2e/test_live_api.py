"""Live leaderboards through the gateway: ETag / 304, SSE with resume, hidden results, stale snapshots."""

import base64
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import nats
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.live_helpers import admin_client, ok, open_contest, running_platform, sse_blocks, vote
from tests.sync import run
from veche_dev import devstack
from veche_dev.eventually import eventually_sync
from veche_shared import subjects
from veche_shared.contracts.results import Leaderboard, LeaderboardChanged, LeaderboardEntry
from veche_shared.tlog.keys import DEV_LOG_SIGNER
from veche_shared.tlog.seal import holds, sealed

ADMIN_KEY = "e2e-live-admin-key-not-a-secret"


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    """The platform with a quick SSE heartbeat, so that an idle stream shows itself within the test."""
    with running_platform(infra, "live", ADMIN_KEY, VECHE_GATEWAY_SSE_HEARTBEAT_SECONDS="0.3") as started:
        yield started


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as client:
        yield client


def board_path(contest: str, nomination: str = "n0") -> str:
    return f"/api/v1/contests/{contest}/nominations/{nomination}/leaderboard"


def gateway_sample(platform: devstack.Platform, name: str, **labels: str) -> float:
    """The value of one sample of the gateway's own /metrics (0 before its first increment)."""
    for family in text_string_to_metric_families(httpx.get(platform.metrics_url("veche_gateway"), timeout=10).text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def cache_reads(platform: devstack.Platform) -> dict[str, float]:
    outcomes = ("hit", "miss", "not_modified")
    return {o: gateway_sample(platform, "veche_gateway_cache_hits_total", outcome=o) for o in outcomes}


def test_leaderboard_answers_304_until_a_vote_changes_it(
    platform: devstack.Platform, api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"etag-{uid}"
    [practice] = open_contest(admin, contest)
    # The first read fetches the board from the process that writes its log, sealed; a live board with the same
    # standings may follow once the contest is open, and from then on the ETag moves only with ballots.
    eventually_sync(
        lambda: api.get(board_path(contest)),
        lambda answer: answer.status_code == 200 and answer.json()["signature"] is not None,
        what="the sealed board",
    )
    before = cache_reads(platform)
    first = api.get(board_path(contest))
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=1, stale-while-revalidate=30"
    etag = first.headers["etag"]
    again = api.get(board_path(contest), headers={"If-None-Match": etag})
    assert again.status_code == 304
    after = cache_reads(platform)
    assert after["hit"] + after["miss"] == before["hit"] + before["miss"] + 1  # memory, or the first fetch
    assert after["not_modified"] == before["not_modified"] + 1
    assert again.content == b""
    assert again.headers["etag"] == etag

    assert vote(api, contest, "n0", practice, "alice").status_code == 202
    changed = eventually_sync(
        lambda: api.get(board_path(contest), headers={"If-None-Match": etag}),
        lambda answer: answer.status_code == 200 and answer.json()["total_votes"] == 1,
        what="the vote in the leaderboard",
    )
    assert changed.headers["etag"] != etag
    assert api.get(board_path(contest), headers={"If-None-Match": changed.headers["etag"]}).status_code == 304


def test_stream_sends_changes_and_resumes_from_last_event_id(
    platform: devstack.Platform, api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"sse-{uid}"
    [practice] = open_contest(admin, contest)
    path = board_path(contest) + "/stream"
    idle = gateway_sample(platform, "veche_gateway_sse_clients")
    with api.stream("GET", path) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert gateway_sample(platform, "veche_gateway_sse_clients") == idle + 1
        blocks = sse_blocks(stream)
        assert next(blocks)["retry"] == "3000"
        opening = next(blocks)
        assert opening["event"] == "leaderboard"
        assert '"total_votes":0' in opening["data"]
        assert vote(api, contest, "n0", practice, "bob").status_code == 202
        arrived = next(b for b in blocks if '"total_votes":1' in b.get("data", ""))
    assert arrived["event"] == "leaderboard"
    assert int(arrived["id"]) > int(opening["id"])
    eventually_sync(
        lambda: gateway_sample(platform, "veche_gateway_sse_clients"), idle.__eq__, what="the closed stream uncounted"
    )

    with api.stream("GET", path, headers={"Last-Event-ID": arrived["id"]}) as resumed:
        blocks = sse_blocks(resumed)
        next(blocks)
        assert next(blocks) == {"comment": "heartbeat"}, "nothing newer than Last-Event-ID"
    with api.stream("GET", path, headers={"Last-Event-ID": str(int(arrived["id"]) - 1)}) as behind:
        blocks = sse_blocks(behind)
        next(blocks)
        assert next(blocks)["id"] == arrived["id"], "a client behind gets the current snapshot at once"


def test_hidden_results_never_show_numbers(
    platform: devstack.Platform, infra: dict[str, str], api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"hidden-{uid}"
    practice, _ = open_contest(admin, contest, visibility="hidden", nominations=2)
    assert vote(api, contest, "n0", practice, "carol").status_code == 202
    operators = board_path(contest).removeprefix("/api/v1")
    eventually_sync(lambda: admin.get(operators).json(), lambda board: board["total_votes"] == 1, what="the vote")
    public = api.get(board_path(contest)).json()
    assert (public["visible"], public["total_votes"], public["entries"]) == (False, 0, [])

    before = api.get(board_path(contest))
    assert api.get(board_path(contest, "n1")).status_code == 200  # known first: a fetch would replace the marker
    forged = leaked_snapshot(contest, version=10_000)  # hidden, yet with numbers: the contract refuses it
    marker = leaked_snapshot(contest, version=10_001, visible=True, nomination="n1")
    run(publish(infra["harness_url"], forged, marker))  # one connection: delivered in this order
    eventually_sync(
        lambda: api.get(board_path(contest, "n1")).json(), lambda b: b["version"] == 10_001, what="the marker"
    )
    after = api.get(board_path(contest))
    assert (after.content, after.headers["etag"]) == (before.content, before.headers["etag"])


def test_older_snapshots_are_dropped(
    platform: devstack.Platform, infra: dict[str, str], api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"stale-{uid}"
    open_contest(admin, contest, nominations=2)
    for nomination in ("n0", "n1"):
        assert api.get(board_path(contest, nomination)).status_code == 200
    fresh = leaked_snapshot(contest, version=50, visible=True)
    stale = leaked_snapshot(contest, version=40, visible=True, total=999)
    marker = leaked_snapshot(contest, version=60, visible=True, nomination="n1")
    run(publish(infra["harness_url"], fresh, stale, marker))  # one connection: delivered in this order
    eventually_sync(
        lambda: api.get(board_path(contest, "n1")).json(), lambda b: b["version"] == 60, what="the marker snapshot"
    )
    kept = api.get(board_path(contest)).json()
    assert (kept["version"], kept["total_votes"]) == (50, 7)


def leaked_snapshot(
    contest: str, *, version: int, visible: bool = False, total: int = 7, nomination: str = "n0"
) -> LeaderboardChanged:
    entry = LeaderboardEntry(
        practice=f"p0-{contest}", title="Practice 0", municipality=f"city-{contest}",
        municipality_name={"en": "Perm"}, votes=total, share=1.0, rank=1,
    )  # fmt: skip
    snapshot = LeaderboardChanged.model_construct(  # unchecked: a sender that breaks the contract
        contest=contest, nomination=nomination, visible=visible, total_votes=total, total_ballots=total, max_choices=1,
        entries=[entry], version=version, updated_at=datetime.now(UTC), log_size=total,
        log_root=base64.b64encode(bytes(32)).decode(),
    )  # fmt: skip
    return sealed(snapshot, DEV_LOG_SIGNER)  # sealed with the platform's (development) log key


async def publish(nats_url: str, *snapshots: LeaderboardChanged) -> None:
    nc = await nats.connect(nats_url)
    try:
        for snapshot in snapshots:
            subject = subjects.live_leaderboard(snapshot.contest, snapshot.nomination)
            await nc.publish(subject, snapshot.model_dump_json().encode())
        await nc.flush()
    finally:
        await nc.close()


def public_bytes(api: httpx.Client, contest: str) -> dict[str, tuple[int, str | None, bytes]]:
    """Every public read of a contest: status, ETag and body (one request id: an error body echoes it)."""
    paths = [
        board_path(contest), f"/api/v1/contests/{contest}/leaderboards", f"/api/v1/contests/{contest}/totals",
        f"/api/v1/contests/{contest}/map", f"/api/v1/contests/{contest}/nominations/n0/timeseries",
        f"/api/v1/contests/{contest}/certificate", f"/api/v1/contests/{contest}",
    ]  # fmt: skip
    fixed = {"X-Request-Id": f"quiet-{contest}"}
    return {p: ((a := api.get(p, headers=fixed)).status_code, a.headers.get("etag"), a.content) for p in paths}


def first_frame(api: httpx.Client, contest: str) -> dict[str, str]:
    with api.stream("GET", board_path(contest) + "/stream") as stream:
        blocks = sse_blocks(stream)
        next(blocks)
        return next(blocks)


@pytest.mark.parametrize("visibility", ["hidden", "after_close"])
def test_nothing_public_moves_while_results_are_hidden(
    api: httpx.Client, admin: httpx.Client, uid: str, visibility: str
) -> None:
    """N ballots into a hidden nomination: every public byte is the same before and after; the receipt has no
    ledger position."""
    contest, marker = f"quiet-{visibility}-{uid}", f"marker-{visibility}-{uid}"
    [practice] = open_contest(admin, contest, visibility=visibility)
    [shown] = open_contest(admin, marker)
    assert api.get("/metrics").status_code == 404, "the public port tells no counters"
    before, opening = public_bytes(api, contest), first_frame(api, contest)
    assert opening["id"] == "0"
    with api.stream("GET", board_path(contest) + "/stream") as following:
        blocks = sse_blocks(following)
        assert next(blocks)["retry"]
        assert next(blocks) == opening
        for number in range(5):
            receipt = vote(api, contest, "n0", practice, f"quiet{number}")
            assert receipt.status_code == 202, receipt.text
            assert receipt.json()["sequence"] is None
        eventually_sync(
            lambda: ok(admin.get(f"/contests/{contest}/nominations/n0/leaderboard")),
            lambda board: board["total_votes"] == 5,
            what="the five ballots",
        )
        # the results service publishes boards in ledger order: once a later ballot shows elsewhere, the hidden
        # board's snapshots have reached the gateway too
        assert vote(api, marker, "n0", shown, "marker").json()["sequence"] is not None
        eventually_sync(
            lambda: api.get(board_path(marker)).json(), lambda b: b["total_votes"] == 1, what="the marker ballot"
        )
        assert [next(blocks) for _ in range(3)] == [{"comment": "heartbeat"}] * 3, "a hidden board sent an event"
    assert public_bytes(api, contest) == before
    assert first_frame(api, contest) == opening


def test_a_quiet_board_is_sealed_after_a_gateway_restart(
    platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    """A restarted gateway holds no board: its first read of a board that gets no more ballots is fetched by RPC,
    and is sealed by the process that writes the nomination's log (no live update will come to seal it)."""
    contest = f"restart-{uid}"
    [practice] = open_contest(admin, contest)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        assert vote(api, contest, "n0", practice, "quiet-voter").status_code == 202
        eventually_sync(
            lambda: api.get(board_path(contest)).json(),
            lambda board: board["total_votes"] == 1 and board["signature"] is not None,
            what="the ballot on a sealed board",
        )
    platform.processes["veche_gateway"].stop()
    platform.start("veche_gateway")
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        first = api.get(board_path(contest)).json()  # the first read, not a later one: no ballot will reseal it
    board = Leaderboard.model_validate(first)
    assert (board.total_votes, board.log_size) == (1, 1)
    assert holds(board, DEV_LOG_SIGNER.verifier), "the board after the restart is not sealed by the log key"


def test_the_list_of_a_contests_boards_serves_the_sealed_boards(
    api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"list-{uid}"
    practices = open_contest(admin, contest, nominations=2)
    assert vote(api, contest, "n1", practices[1], "lister").status_code == 202
    eventually_sync(
        lambda: api.get(board_path(contest, "n1")).json(), lambda b: b["total_votes"] == 1, what="the ballot"
    )
    listed = [Leaderboard.model_validate(b) for b in ok(api.get(f"/api/v1/contests/{contest}/leaderboards"))]
    assert [(b.nomination, b.total_votes) for b in listed] == [("n0", 0), ("n1", 1)]
    assert all(holds(b, DEV_LOG_SIGNER.verifier) for b in listed), "a listed board is not sealed by the log key"
