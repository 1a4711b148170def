"""Device-mode ballot stuffing from ONE address: how many ballots one client address gets accepted in one
nomination, with the platform's default limits, over `--seconds`.

Each ballot needs a fresh device token (one token votes once per nomination), so the loop is: token (solving
the ALTCHA challenge where the gateway asks for one), ballot. It stops early when the gateway refuses tokens
until the end of its issue window. Self-contained so that `--before` can run it with an older checkout's
interpreter (whose device-token route takes no challenge): `python bench/identity.py [--before]`.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

try:  # the tooling moved from veche_shared to veche_dev
    from veche_dev import devstack
    from veche_dev.devkeys import cli_operator_env

    DEMO_LOAD = "veche_dev.cli"
except ImportError:  # an older checkout
    from veche_shared import devstack  # type: ignore[no-redef,attr-defined]

    def cli_operator_env(name: str, key: str) -> dict[str, str]:  # no operator key before issue 26
        return {}

    DEMO_LOAD = "veche_shared.cli"

CONTEST, NOMINATION = "forum-2018", "peoples-diplomacy"


def token(client: httpx.Client, before: bool) -> httpx.Response:
    url = f"/api/v1/contests/{CONTEST}/device-token"
    if before:
        return client.post(url)
    import altcha  # only the hardened gateway asks for a solved challenge

    challenge = altcha.Challenge.from_dict(client.get(f"/api/v1/contests/{CONTEST}/device-challenge").json())
    solution = altcha.solve_challenge(challenge)
    assert solution is not None
    return client.post(url, json={"altcha": altcha.Payload(challenge, solution).to_base64()})


def stuff(url: str, seconds: float, before: bool) -> dict[str, object]:
    with httpx.Client(base_url=url, timeout=10) as client:
        board = client.get(f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/leaderboard").json()
        practice = board["entries"][0]["practice"]
        accepted, started = 0, time.monotonic()
        answers: dict[str, int] = {}
        refused_until_window_end = False
        while (elapsed := time.monotonic() - started) < seconds:
            issued = token(client, before)
            answers[f"token {issued.status_code}"] = answers.get(f"token {issued.status_code}", 0) + 1
            if issued.status_code == 429:
                wait = float(issued.headers.get("Retry-After", "1"))
                if wait > seconds - elapsed:
                    refused_until_window_end = True
                    break
                time.sleep(wait)
                continue
            headers = {"Authorization": f"Bearer {issued.json()['token']}", "Idempotency-Key": uuid.uuid4().hex}
            vote = client.post(
                f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/votes",
                json={"practice": practice},
                headers=headers,
            )
            answers[f"vote {vote.status_code}"] = answers.get(f"vote {vote.status_code}", 0) + 1
            accepted += vote.status_code in (200, 202)
            if vote.status_code == 429:
                time.sleep(float(vote.headers.get("Retry-After", "1")))
        elapsed = time.monotonic() - started
    per_hour = accepted if refused_until_window_end else round(accepted / elapsed * 3600)
    return {"accepted": accepted, "seconds": round(elapsed, 1), "ballots_per_hour": per_hour,
            "refused_until_window_end": refused_until_window_end, "answers": answers}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--before", action="store_true", help="the gateway's device-token route takes no challenge")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veche-identity-bench-"))
    nats_port, db_port = devstack.free_port(), devstack.free_port()
    infra = [devstack.start_nats(nats_port, work / "nats", work / "logs")]
    infra.append(devstack.start_localdb(db_port, work / "db", work / "logs"))
    platform = devstack.Platform(f"nats://127.0.0.1:{nats_port}", f"mongodb://127.0.0.1:{db_port}/", work / "logs")
    platform.extra_env = cli_operator_env("bench", uuid.uuid4().hex)  # demo-load's operator key
    try:
        platform.start_all()  # the default limits: nothing exempt, nothing raised
        load = [sys.executable, "-m", DEMO_LOAD, "demo-load", "--nats", platform.nats_url]
        subprocess.run(load, check=True, capture_output=True, timeout=120, env=os.environ | platform.extra_env)
        result = stuff(platform.url(), args.seconds, args.before)
    finally:
        platform.stop_all()
        for process in reversed(infra):
            process.stop()
    print(json.dumps({"before": args.before} | result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
