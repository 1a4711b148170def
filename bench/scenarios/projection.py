"""Scenario 2: replay votes already in VOTES through a fresh results process, against B2 (fetch + ack only).

Both are timed from process start to the end: results until the leaderboard version (the largest last_seq of
the nomination's tallies) reaches the last sequence, B2 until it has acknowledged the last message.
"""

import asyncio
import hashlib
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from pymongo import DESCENDING, MongoClient

from bench.procs import children_cpu_seconds, cpu_seconds, pinned, rss_mb
from bench.scenarios import CONTEST, NOMINATION, profile
from bench.stats import summary
from veche_dev import devstack
from veche_dev.demo_load import demo_data
from veche_shared import subjects
from veche_shared.bus import declare_streams
from veche_shared.contracts.catalog import IdentityMode
from veche_shared.contracts.votes import VoteCast

STALL_SECONDS = 120.0


def practices() -> list[str]:
    """The demo nomination's practices, so that a batch touches as many tallies as in real use."""
    return [p["id"] for p in demo_data()["practices"] if p["nomination"] == NOMINATION]


def ballots(count: int, practices: list[str]) -> list[tuple[str, bytes]]:
    """(subject, payload) of `count` distinct voters' ballots in one nomination, spread over its practices."""
    template = VoteCast(
        vote_id="VOTEID",
        contest=CONTEST,
        nomination=NOMINATION,
        practices=["PRACTICE"],
        voter_hash="0" * 64,
        identity_mode=IdentityMode.jwt,
        cast_at=datetime.now(UTC),
    ).model_dump_json()
    out = []
    for i in range(count):
        voter = hashlib.sha256(f"bench-voter-{i}".encode()).hexdigest()
        body = template.replace("0" * 64, voter).replace("VOTEID", f"bench{i:012d}")
        body = body.replace('"PRACTICE"', f'"{practices[i % len(practices)]}"')
        out.append((subjects.vote_cast(CONTEST, voter), body.encode()))
    return out


async def publish(nats_url: str, messages: list[tuple[str, bytes]]) -> int:
    """Publish with publish_async (a window of pending acks); return the stream's last sequence."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream(publish_async_max_pending=4_000)
    await declare_streams(js, replicas=1)
    for subject, payload in messages:
        await js.publish_async(subject, payload, stream=subjects.VOTES_STREAM, wait_stall=30)
    await js.publish_async_completed()
    info = await js.stream_info(subjects.VOTES_STREAM)
    await nc.close()
    return int(info.state.last_seq)


def replay_results(env: dict[str, str], mongodb_url: str, database: str, last_seq: int, logs: Any) -> dict[str, Any]:
    """One fresh results process (its own consumer and database), timed until the leaderboard has last_seq."""
    devstack.provision(env["VECHE_RESULTS_NATS_URL"], env)  # its consumer (docs/adr/0014-provisioned-bus.md)
    started = time.perf_counter()
    process = devstack.spawn(f"results-{database}", [sys.executable, "-m", "veche_results"], logs, env)
    rss_first, first_seconds = None, None
    version, progressed = 0, started
    client: MongoClient[dict[str, Any]] = MongoClient(mongodb_url)
    with client as mongo:
        tallies = mongo[database].tallies
        while version < last_seq and time.perf_counter() - progressed < STALL_SECONDS:
            if process.popen.poll() is not None:
                raise RuntimeError(f"results exited; see {process.log}")
            top = tallies.find_one({"contest": CONTEST, "nomination": NOMINATION}, sort=[("last_seq", DESCENDING)])
            if (top["last_seq"] if top else 0) > version:
                version, progressed = top["last_seq"] if top else 0, time.perf_counter()
            if version and rss_first is None:
                rss_first, first_seconds = rss_mb(process.popen.pid), time.perf_counter() - started
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        rss_end, cpu = rss_mb(process.popen.pid), cpu_seconds(process.popen.pid)
        process.stop()
        mongo.drop_database(database)
    stalled = version < last_seq  # no progress for STALL_SECONDS: reported, not waited for forever
    return {
        "seconds": elapsed,
        "rate": version / elapsed,
        "first_batch_seconds": first_seconds,
        "stalled_at_version": version if stalled else None,
        "rss_first_batch_mb": rss_first,
        "rss_end_mb": rss_end,
        "cpu_us_per_ballot": 1e6 * cpu / max(1, version),  # start-up included, as in the rate
    }


def profile_results(env: dict[str, str], mongodb_url: str, database: str, seconds: float, out: Path) -> dict[str, Any]:
    """An extra, untimed replay sampled by py-spy for `seconds` once the first batch is in."""
    devstack.provision(env["VECHE_RESULTS_NATS_URL"], env)
    process = devstack.spawn(f"results-{database}", [sys.executable, "-m", "veche_results"], out / "logs", env)
    try:
        client: MongoClient[dict[str, Any]] = MongoClient(mongodb_url)
        with client as mongo:
            deadline = time.perf_counter() + STALL_SECONDS  # a replay that never starts is sampled while stuck
            while process.popen.poll() is None and time.perf_counter() < deadline:
                if mongo[database].tallies.find_one({}):
                    break
                time.sleep(0.05)
            raw = out / "profile-results.txt"
            spy = profile.start_sampling(process.popen.pid, seconds, raw)
            report = profile.finish_sampling(spy, raw, "results", "results replaying VOTES", seconds)
            mongo.drop_database(database)
    finally:
        process.stop()
    return report


def replay_b2(nats_url: str, consumer: str, last_seq: int, cpus: str | None) -> dict[str, Any]:
    started, cpu = time.perf_counter(), children_cpu_seconds()
    argv = [sys.executable, "-m", "bench.baselines.b2_consumer", nats_url, consumer, str(last_seq), "1000"]
    done = subprocess.run(pinned(argv, cpus), check=False, capture_output=True, timeout=3_600)
    elapsed, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu
    if done.returncode:  # the consumer's fetch timed out: the stream did not deliver
        return {"seconds": elapsed, "rate": 0.0, "error": done.stderr.decode()[-300:]}
    return {"seconds": elapsed, "rate": last_seq / elapsed, "cpu_us_per_ballot": 1e6 * cpu / last_seq}


def measure(
    platform: devstack.Platform,
    count: int,
    repeats: int,
    nats_pid: int,
    profile_seconds: float,
    out: Path,
    harness_url: str | None = None,
) -> dict[str, Any]:
    nats_before = rss_mb(nats_pid)
    publish_started = time.perf_counter()
    loader = harness_url or platform.nats_url  # publishes ballots itself: the identity that may write anything
    last_seq = asyncio.run(publish(loader, ballots(count, practices())))
    publish_seconds = time.perf_counter() - publish_started
    nats_after = rss_mb(nats_pid)
    veche, b2 = [], []
    platform.ports.setdefault("veche_results", devstack.free_port())
    for rep in range(repeats):
        env = platform.env_for("veche_results") | {
            "VECHE_RESULTS_HTTP_PORT": str(devstack.free_port()),
            "VECHE_RESULTS_DATABASE": f"bench_projection_{rep}",
            "VECHE_RESULTS_CONSUMER": f"bench-projection-{rep}",
        }
        veche.append(replay_results(env, platform.mongodb_url, f"bench_projection_{rep}", last_seq, platform.log_dir))
        b2.append(replay_b2(loader, f"bench-b2-{rep}", last_seq, None))
    env = platform.env_for("veche_results") | {
        "VECHE_RESULTS_HTTP_PORT": str(devstack.free_port()),
        "VECHE_RESULTS_DATABASE": "bench_projection_profile",
        "VECHE_RESULTS_CONSUMER": "bench-projection-profile",
    }
    sampled = profile_results(env, platform.mongodb_url, "bench_projection_profile", profile_seconds, out)
    return {
        "profile": sampled,
        "votes": count,
        "last_seq": last_seq,
        "publish_rate": count / publish_seconds,
        "nats_rss_mb": {"before": nats_before, "after": nats_after},
        "veche": {"rate": summary([r["rate"] for r in veche]), "cpu_us_per_ballot": _cpu(veche), "repetitions": veche},
        "b2": {"rate": summary([r["rate"] for r in b2]), "cpu_us_per_ballot": _cpu(b2), "repetitions": b2},
    }


def _cpu(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return summary([r["cpu_us_per_ballot"] for r in runs if "cpu_us_per_ballot" in r])
