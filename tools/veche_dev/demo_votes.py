"""`veche demo-votes`: a stream of demo votes through the public API."""

import argparse
import os
import random
import time
import uuid

import altcha
import httpx
import jwt

DEMO_KEY = "dev-only-change-me-jwt-key-0123456789abcdef"  # the voting service's development HS256 key


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    demo = commands.add_parser("demo-votes", help="send demo votes to forum-2018 / peoples-diplomacy")
    demo.add_argument("--url", default=os.environ.get("VECHE_GATEWAY_URL", "http://127.0.0.1:8000"))
    demo.add_argument("--count", type=int, default=200, help="how many voters")
    demo.add_argument("--rate", type=float, default=4.0, help="votes per second (one address: mind the rate limit)")
    demo.add_argument("--key", default=os.environ.get("VECHE_DEMO_JWT_KEY", DEMO_KEY))
    demo.set_defaults(run=_demo_votes)


def voter_token(key: str, contest: str, voter: str, ttl: int = 3600) -> str:
    return jwt.encode({"sub": voter, "aud": contest, "exp": int(time.time()) + ttl}, key, algorithm="HS256")


def solved_challenge(client: httpx.Client, url: str, contest: str) -> str:
    """The ALTCHA payload of a solved device challenge, as the public page's widget sends it."""
    challenge = altcha.Challenge.from_dict(
        client.get(f"{url}/api/v1/contests/{contest}/device-challenge").raise_for_status().json()
    )
    solution = altcha.solve_challenge(challenge)
    if solution is None:
        raise RuntimeError("the device challenge was not solved in time")
    return altcha.Payload(challenge, solution).to_base64()


def device_token(client: httpx.Client, url: str, contest: str) -> str:
    """A new anonymous voter: the gateway's device token, as the public page gets one."""
    for _ in range(5):
        body = {"altcha": solved_challenge(client, url, contest)}
        answer = client.post(f"{url}/api/v1/contests/{contest}/device-token", json=body)
        if answer.status_code != 429:
            break
        time.sleep(float(answer.headers.get("Retry-After", "1")))
    token: str = answer.raise_for_status().json()["token"]
    return token


def _vote(client: httpx.Client, url: str, practice: str, token: str) -> httpx.Response:
    """One vote; a 429 from the gateway's rate limit is waited out and retried with the same Idempotency-Key."""
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    for _ in range(5):
        answer = client.post(url, json={"practice": practice}, headers=headers)
        if answer.status_code != 429:
            break
        time.sleep(float(answer.headers.get("Retry-After", "1")))
    return answer


def _demo_votes(args: argparse.Namespace) -> int:
    contest, nomination = "forum-2018", "peoples-diplomacy"
    base = f"{args.url}/api/v1/contests/{contest}/nominations/{nomination}"
    with httpx.Client(timeout=10) as client:
        practices = [e["practice"] for e in client.get(f"{base}/leaderboard").raise_for_status().json()["entries"]]
        weights = [len(practices) - i for i in range(len(practices))]
        counts: dict[int, int] = {}
        device_mode = client.get(f"{args.url}/api/v1/contests/{contest}").json()["identity_mode"] == "device"
        for _ in range(args.count):
            token = (
                device_token(client, args.url, contest)
                if device_mode
                else voter_token(args.key, contest, f"demo-{uuid.uuid4()}")
            )
            choice = random.choices(practices, weights)[0]
            answer = _vote(client, f"{base}/votes", choice, token)
            counts[answer.status_code] = counts.get(answer.status_code, 0) + 1
            time.sleep(1 / args.rate)
    print("answers by status:", counts)
    return 0 if set(counts) <= {200, 202} else 1
