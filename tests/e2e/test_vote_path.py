"""The skeleton's vote path end to end: every service a real process, real NATS and database."""

import re
from pathlib import Path

import httpx

from tests.e2e.vote_helpers import ballots_in_ledger, wait_for_votes
from tests.live_helpers import open_contest, token_of
from tests.sync import run
from veche_dev import devstack


def test_vote_counted_once_across_results_restarts(
    platform: devstack.Platform, infra: dict[str, str], api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"c-{uid}"
    [practice] = open_contest(admin, contest)
    base = f"/api/v1/contests/{contest}/nominations/n0"
    token = token_of(contest, "citizen-42")
    headers = {"Authorization": f"Bearer {token}"}

    first = api.post(f"{base}/votes", json={"practice": practice}, headers=headers)
    assert first.status_code == 202, first.text
    second = api.post(f"{base}/votes", json={"practice": practice}, headers=headers)
    assert second.status_code == 409
    assert second.json()["code"] == "already_voted"

    assert run(ballots_in_ledger(infra["harness_url"], contest)) == 1, "exactly one ballot in the ledger"

    board = wait_for_votes(api, f"{base}/leaderboard", 1)
    assert board["entries"][0]["votes"] == 1
    assert board["entries"][0]["municipality_name"]["en"] == f"Perm {contest}"

    results = platform.processes["veche_results"]
    results.stop()
    platform.start("veche_results")
    assert wait_for_votes(api, f"{base}/leaderboard", 1)["entries"][0]["votes"] == 1

    platform.processes["veche_results"].kill()
    platform.start("veche_results")
    assert wait_for_votes(api, f"{base}/leaderboard", 1)["entries"][0]["votes"] == 1
    assert api.get(f"{base}/my-ballot", headers=headers).json()["practice"] == practice


def test_results_routes_and_operator_auth(api: httpx.Client, admin: httpx.Client, uid: str) -> None:
    contest = f"r-{uid}"
    [practice] = open_contest(admin, contest)
    token = token_of(contest, "citizen-7")
    vote = api.post(
        f"/api/v1/contests/{contest}/nominations/n0/votes",
        json={"practice": practice},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert vote.status_code == 202
    wait_for_votes(api, f"/api/v1/contests/{contest}/nominations/n0/leaderboard", 1)
    assert api.get(f"/api/v1/contests/{contest}/totals").json()["nominations"] == {"n0": 1}
    assert api.get(f"/api/v1/contests/{contest}/map").json()["municipalities"][0]["votes"] == 1
    assert [b["total_votes"] for b in api.get(f"/api/v1/contests/{contest}/leaderboards").json()] == [1]
    assert api.get(f"/api/v1/contests/{contest}/certificate").json()["code"] == "not_certified"

    assert api.get(f"/api/v1/admin/contests/{contest}/totals").status_code == 401
    wrong = api.get(f"/api/v1/admin/contests/{contest}/totals", headers={"X-API-Key": "nope"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "unauthenticated")
    assert admin.get(f"/contests/{contest}/totals").json()["total_votes"] == 1
    report = admin.post(f"/contests/{contest}/recount").json()
    assert (report["ledger_messages"], report["differences"]) == (1, [])
    bad = admin.post("/contests", json={"id": "bad id!", "title": {"en": "x"}})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_request")
    assert api.post(f"/api/v1/contests/{contest}/nominations/n0/votes", json={"practice": practice}).status_code == 401


def metric_bases(text: str) -> set[str]:
    names = re.findall(r"^# (?:HELP|TYPE) (\w+)", text, flags=re.M) + re.findall(r"\b(veche_\w+)", text)
    return {re.sub(r"_(total|bucket|count|sum|created)$", "", n) for n in names}


def test_every_metric_an_alert_uses_is_exposed(platform: devstack.Platform) -> None:
    rules = (Path(__file__).resolve().parents[2] / "deploy" / "observability" / "alerts.yml").read_text()
    wanted = metric_bases("\n".join(line for line in rules.splitlines() if not line.lstrip().startswith("#")))
    exposed: set[str] = set()
    for module in platform.ports:
        exposed |= metric_bases(httpx.get(platform.metrics_url(module), timeout=10).text)
    assert wanted, "the rules name no metric"
    assert wanted <= exposed, f"not exposed by any process: {sorted(wanted - exposed)}"
