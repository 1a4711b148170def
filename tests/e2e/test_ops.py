"""The operators' overview (/api/v1/admin/contests/{c}/ops) and the request id carried into ledger and catalog
events, with every service a real process."""

import re
from typing import Any

import httpx
import nats

from tests.e2e.conftest import OBSERVER_KEY
from tests.live_helpers import ok, open_contest, token_of
from tests.sync import run
from veche_dev import devstack
from veche_dev.eventually import eventually_sync
from veche_shared import subjects


async def _headers_of(nats_url: str, stream: str, *, subject: str, first: bool = False) -> dict[str, str]:
    """Headers of the last (or first) message of stream on subject (wildcards allowed for the first)."""
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        if first:
            msg = await js.get_msg(stream, 1, subject=subject, next=True)
        else:
            msg = await js.get_last_msg(stream, subject)
        return dict(msg.headers or {})
    finally:
        await client.close()


def test_ops_overview_shows_health_ledger_moderation_and_hidden_standings(
    platform: devstack.Platform, api: httpx.Client, admin: httpx.Client, infra: dict[str, str], uid: str
) -> None:
    contest = f"ops-{uid}"
    (practice,) = open_contest(admin, contest, visibility="hidden", pending=1)  # submitted with a request id
    for number in range(3):
        answer = api.post(
            f"/api/v1/contests/{contest}/nominations/n0/votes",
            json={"practice": practice},
            headers={"Authorization": f"Bearer {token_of(contest, f'v{number}')}", "X-Request-Id": f"vote-{uid}"},
        )
        assert answer.status_code == 202, answer.text
        assert answer.json()["sequence"] is None, "a hidden contest's receipt tells no ledger position"

    observer = {"X-API-Key": OBSERVER_KEY}
    path = f"/api/v1/admin/contests/{contest}/ops"

    def counted(view: dict[str, Any]) -> bool:
        boards = view["leaderboards"] or []
        return bool(view["ledger"] and view["ledger"]["lag"] == 0 and boards and boards[0]["total_votes"] == 3)

    view = eventually_sync(
        lambda: ok(api.get(path, headers=observer)), counted, what="the three votes on the operators' overview"
    )
    assert [(s["service"], s["ready"]) for s in view["services"]] == [
        ("gateway", True), ("submissions", True), ("voting", True), ("results", True)
    ]  # fmt: skip
    assert all(s["checks"] and s["uptime_seconds"] > 0 for s in view["services"])
    assert all(s["instance"].startswith(f"{s['service']}-") for s in view["services"])  # which process answered
    assert [s["partitions"] for s in view["services"] if s["service"] == "results"] == [[0]]  # one, owning all
    ledger = view["ledger"]
    assert ledger["last_sequence"] >= 3
    assert [c["lag"] for c in ledger["consumers"]] == [0]
    assert ledger["consumers"][0]["applied_sequence"] == ledger["last_sequence"]
    assert ledger["messages_per_second"] > 0  # three votes within the last ten seconds
    assert view["moderation"] == {"pending": 1, "approved": 1, "rejected": 0, "withdrawn": 0}
    assert (view["details"]["visibility"], view["results_public"]) == ("hidden", False)
    (board,) = view["leaderboards"]
    assert (board["entries"][0]["practice"], board["entries"][0]["votes"]) == (practice, 3)
    public = ok(api.get(f"/api/v1/contests/{contest}/nominations/n0/leaderboard"))
    assert (public["visible"], public["entries"]) == (False, [])  # what the observer sees stays off the public

    assert api.get(path).status_code == 401
    assert api.get(path, headers={"X-API-Key": "wrong"}).status_code == 401
    assert api.get(f"/api/v1/admin/contests/none-{uid}/ops", headers=observer).status_code == 404
    platform_only = ok(api.get("/api/v1/admin/ops", headers=observer))  # before any contest is chosen
    assert (platform_only["contest"], platform_only["moderation"], platform_only["leaderboards"]) == (None, None, None)
    assert {s["service"] for s in platform_only["services"]} == {s["service"] for s in view["services"]}
    assert platform_only["ledger"]["last_sequence"] >= ledger["last_sequence"]
    assert api.get("/api/v1/admin/ops").status_code == 401

    ballots = subjects.contest_ballots(contest)
    vote_headers = run(_headers_of(infra["harness_url"], subjects.VOTES_STREAM, subject=ballots, first=True))
    assert vote_headers["X-Request-Id"] == f"vote-{uid}"
    event_subject = subjects.catalog_event("practice", contest)
    catalog_headers = run(_headers_of(infra["harness_url"], subjects.CATALOG_STREAM, subject=event_subject))
    assert catalog_headers["X-Request-Id"] == f"submit-{contest}"


def test_the_ops_address_leads_to_the_consoles_operations_view(api: httpx.Client, uid: str) -> None:
    assert api.get("/ops").headers["location"] == "/admin#/ops"
    assert api.get(f"/ops?contest=c-{uid}").headers["location"] == f"/admin?contest=c-{uid}#/ops"
    assert api.get("/ops?contest=not%20an%20id").status_code == 422  # never a subject token or a link from it
    console = api.get("/admin")
    [script] = re.findall(r'src="(/assets/[0-9a-f]{16}/admin/main\.js)"', console.text)
    # an ES module: what it imports by relative paths is under the same version, the view among them
    assert api.get(script.replace("admin/main.js", "admin/views/ops.js")).status_code == 200
    assert "frame-ancestors 'none'" in console.headers["content-security-policy"]


def test_a_draft_contest_has_an_overview_without_standings(api: httpx.Client, admin: httpx.Client, uid: str) -> None:
    contest = f"draft-{uid}"
    ok(admin.post("/contests", json={"id": contest, "title": {"en": "Draft"}}))
    view = ok(api.get(f"/api/v1/admin/contests/{contest}/ops", headers={"X-API-Key": OBSERVER_KEY}))
    assert (view["details"]["phase"], view["leaderboards"], view["moderation"]["pending"]) == ("draft", [], 0)
