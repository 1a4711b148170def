"""`veche demo-votes`: a stream of demo votes through the public API."""

import argparse
import os
import random
import time
import uuid

import httpx
import jwt

DEMO_KEY = "dev-only-change-me-jwt-key-0123456789abcdef"  # the voting service's development HS256 key


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    demo = commands.add_parser("demo-votes", help="send demo votes to forum-2018 / peoples-diplomacy")
    demo.add_argument("--url", default=os.environ.get("VECHE_GATEWAY_URL", "http://127.0.0.1:8000"))
    demo.add_argument("--count", type=int, default=200, help="how many voters")
    demo.add_argument("--rate", type=float, default=20.0, help="votes per second")
    demo.add_argument("--key", default=os.environ.get("VECHE_DEMO_JWT_KEY", DEMO_KEY))
    demo.set_defaults(run=_demo_votes)


def voter_token(key: str, contest: str, voter: str, ttl: int = 3600) -> str:
    return jwt.encode({"sub": voter, "aud": contest, "exp": int(time.time()) + ttl}, key, algorithm="HS256")


def _demo_votes(args: argparse.Namespace) -> int:
    contest, nomination = "forum-2018", "peoples-diplomacy"
    base = f"{args.url}/api/v1/contests/{contest}/nominations/{nomination}"
    with httpx.Client(timeout=10) as client:
        practices = [e["practice"] for e in client.get(f"{base}/leaderboard").raise_for_status().json()["entries"]]
        weights = [len(practices) - i for i in range(len(practices))]
        counts: dict[int, int] = {}
        for _ in range(args.count):
            token = voter_token(args.key, contest, f"demo-{uuid.uuid4()}")
            choice = random.choices(practices, weights)[0]
            answer = client.post(
                f"{base}/votes", json={"practice": choice}, headers={"Authorization": f"Bearer {token}"}
            )
            counts[answer.status_code] = counts.get(answer.status_code, 0) + 1
            time.sleep(1 / args.rate)
    print("answers by status:", counts)
    return 0 if set(counts) <= {200, 202} else 1
