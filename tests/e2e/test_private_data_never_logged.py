"""No log line of any process of an end-to-end run holds a voter id, a client IP or a token."""

from pathlib import Path

import httpx

from tests.e2e.vote_helpers import wait_for_votes
from tests.live_helpers import open_contest, token_of
from veche_dev import devstack


def test_voter_id_ip_and_token_stay_out_of_every_log(
    platform: devstack.Platform, api: httpx.Client, admin: httpx.Client, uid: str
) -> None:
    contest = f"l-{uid}"
    [practice] = open_contest(admin, contest)
    base = f"/api/v1/contests/{contest}/nominations/n0"
    voter_id = f"citizen-{uid}-private"
    token = token_of(contest, voter_id)
    client_ip = "203.0.113.77"  # documentation range: appears nowhere unless something logged it
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": client_ip, "X-Real-IP": client_ip}
    for _ in range(2):  # an accepted ballot, then a refusal
        api.post(f"{base}/votes", json={"practice": practice}, headers=headers)
    api.post(f"{base}/votes", json={"practice": "nope"}, headers={"Authorization": f"Bearer {token}x"})
    api.get(f"{base}/my-ballot", headers=headers)
    wait_for_votes(api, f"{base}/leaderboard", 1)

    logs = sorted(Path(platform.log_dir).glob("*.log"))
    assert {p.stem for p in logs} >= {"gateway", "voting", "results", "submissions"}
    for log in logs:
        text = log.read_text(errors="replace")
        for secret in (voter_id, client_ip, token, token.split(".")[-1]):
            assert secret not in text, f"{log.name} holds private data"
