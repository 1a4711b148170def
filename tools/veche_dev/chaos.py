"""`make chaos`: the cluster shape on free ports, a vote storm through HAProxy, and one fault per phase
(SIGKILL then restart; finally a rolling restart). After each phase every accepted ballot must be counted
exactly once per practice, every second ballot refused and the recount clean. Writes docs/reliability.md."""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import nats

from veche_dev import devstack, nats_config
from veche_dev.chaos_storm import Tally, storm
from veche_dev.cluster import ClusterPlatform, replicas
from veche_dev.devkeys import dev_operator_env
from veche_dev.natscluster import PASSWORDS_ENV, NatsCluster, harness_options, wait_jetstream
from veche_shared import subjects

CONTEST = "chaos"
LIFTED = {f"VECHE_GATEWAY_RATE_IP_{k}__{f}": "1000000" for k in ("WRITES", "READS") for f in ("BURST", "PER_SECOND")}
HEADER = (
    "| fault | ballots accepted (all phases) | counted | second ballots refused | same-key retries answered alike "
    "| client-visible errors | longest outage | converged in | recount |"
)


def open_contest(admin: httpx.Client) -> list[str]:
    """A jwt-mode contest with nomination n0 and three approved practices, open for voting."""

    def ok(answer: httpx.Response) -> None:
        assert answer.status_code in (200, 201), answer.text

    ok(
        admin.post(
            "/contests", json={"id": CONTEST, "title": {"en": "Chaos"}, "identity_mode": "jwt", "visibility": "live"}
        )
    )
    ok(admin.post(f"/contests/{CONTEST}/nominations", json={"id": "n0", "title": {"en": "N0"}}))
    practices = []
    for i in range(3):
        city = {"id": f"chaos-city{i}", "name": {"en": f"City {i}"}, "country": "RU", "lat": 58.0, "lon": 56.0 + i}
        ok(admin.post("/municipalities", json=city))
        body = {"id": f"chaos-p{i}", "nomination": "n0", "municipality": city["id"], "title": f"Practice {i}"}
        ok(admin.post(f"/contests/{CONTEST}/practices", json=body))
        ok(admin.post(f"/practices/chaos-p{i}/approve", json={}))
        practices.append(f"chaos-p{i}")
    for phase in ("submissions_open", "voting_open"):
        ok(admin.post(f"/contests/{CONTEST}/phase", json={"phase": phase}))
    return practices


def counts(api: httpx.Client) -> dict[str, int]:
    board = api.get(f"/api/v1/contests/{CONTEST}/nominations/n0/leaderboard").json()
    return {e["practice"]: e["votes"] for e in board.get("entries", [])}


def converge(api: httpx.Client, expected: Counter[str], limit: float = 90) -> float | None:
    """Seconds until the public board (either gateway) shows exactly the expected counts; None if never."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        seen = [counts(api) for _ in range(2)]  # round robin: both gateways
        if all({p: n for p, n in s.items() if n} == {p: n for p, n in expected.items() if n} for s in seen):
            return time.monotonic() - started
        time.sleep(0.25)
    return None


async def leader_of_votes(urls: str) -> str:
    nc = await nats.connect(urls.split(","), **harness_options())
    try:
        info = await nc.jetstream().stream_info(subjects.VOTES_STREAM)
        return str(info.cluster.leader if info.cluster else "")
    finally:
        await nc.close()


def faults(p: ClusterPlatform, db: dict[str, devstack.Process], db_port: int) -> list[tuple[str, Callable[[], None]]]:
    def kill_restart(name: str) -> Callable[[], None]:
        def fault() -> None:
            p.processes[name].kill()
            p.start(name)

        return fault

    def nats_leader() -> None:
        node = next(n for n in p.nats.nodes if n.name == asyncio.run(leader_of_votes(p.nats.urls)))
        p.nats.kill(node)
        time.sleep(2)
        p.nats.start(node)

    def database() -> None:
        db["db"].kill()
        time.sleep(2)
        db["db"] = devstack.start_localdb(db_port, p.state / "db", p.logs)

    def rolling() -> None:
        for replica in p.replicas:
            p.processes[replica.name].stop()
            p.start(replica.name)

    return [
        ("none (baseline)", lambda: None),
        ("SIGKILL nats-server leading VOTES", nats_leader),
        ("SIGKILL gateway-1", kill_restart("gateway-1")),
        ("SIGKILL voting-1", kill_restart("voting-1")),
        ("SIGKILL results-p0", kill_restart("results-p0")),
        ("SIGKILL database", database),
        ("rolling restart of every service", rolling),
    ]


async def phase(p: ClusterPlatform, practices: list[str], fault: Callable[[], None], most: int, t: Tally) -> None:
    """The storm runs from 1 s before the fault until 2 s after it is over (at most `most` voters)."""
    stop = asyncio.Event()
    running = asyncio.create_task(storm(p.url(), CONTEST, practices, stop, most, t))
    await asyncio.sleep(1.0)
    await asyncio.to_thread(fault)
    await asyncio.sleep(2.0)
    stop.set()
    await running


def row(name: str, t: Tally, accepted: int, counted: int, took: float | None, recount: str) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(t.errors.items())) or "none"
    converged = f"{took:.1f} s" if took is not None else "NEVER"
    refused = f"{t.second_refused} of {t.second_refused + t.second_accepted}"
    return (
        f"| {name} | {len(t.accepted)} ({accepted}) | {counted} | {refused} | {t.retries_same_key_ok} | {errors} "
        f"| {t.longest_outage:.1f} s | {converged} "
        f"| {recount} |"
    )


def run(voters: int, out: Path | None) -> int:
    state = Path(tempfile.mkdtemp(prefix="veche-chaos-"))
    passwords = nats_config.new_passwords(with_harness=True)  # authentication on, as in production
    os.environ[PASSWORDS_ENV] = json.dumps(passwords)
    nats_cluster = NatsCluster(state / "nats", state / "logs")
    nats_cluster.start_all()
    asyncio.run(wait_jetstream(nats_cluster.urls))
    db_port = devstack.free_port()
    db = {"db": devstack.start_localdb(db_port, state / "db", state / "logs")}
    ports = [devstack.free_port() for _ in range(8)]
    p = ClusterPlatform(state, nats_cluster, f"mongodb://127.0.0.1:{db_port}/", devstack.free_port(), replicas(ports))
    p.extra_env = dev_operator_env(state) | LIFTED | {"VECHE_ENVIRONMENT": "dev"} | nats_config.role_env(passwords)
    rows, failed = [HEADER, "|---|---|---|---|---|---|---|---|---|"], False
    try:
        p.start_all()
        key = (state / "admin-key").read_text().strip()
        admin = httpx.Client(base_url=f"{p.url()}/api/v1/admin", headers={"X-API-Key": key}, timeout=120)
        api = httpx.Client(base_url=p.url(), timeout=10)
        practices, expected = open_contest(admin), Counter[str]()
        for name, fault in faults(p, db, db_port):
            t = Tally()
            asyncio.run(phase(p, practices, fault, voters, t))
            expected.update(t.accepted.values())
            took = converge(api, expected)
            report = admin.post(f"/contests/{CONTEST}/recount").json()
            recount = "clean" if report.get("differences") == [] else f"DIFFERENT {report}"
            rows.append(row(name, t, sum(expected.values()), sum(counts(api).values()), took, recount))
            print(rows[-1], flush=True)
            failed |= took is None or recount != "clean" or t.second_accepted > 0
    finally:
        p.stop_all()
        db["db"].stop()
        nats_cluster.stop_all()
    table = "\n".join(rows)
    print(table)
    if out is not None:
        write_report(out, table, voters)
    print(f"logs: {state / 'logs'}")
    return 1 if failed else 0


def write_report(out: Path, table: str, voters: int) -> None:
    text = out.read_text() if out.exists() else ""
    start, end = "<!-- chaos:start -->", "<!-- chaos:end -->"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = f"{start}\nRun of {when}, at most {voters} fresh voters per fault.\n\n{table}\n{end}"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text += "\n" + block + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="veche-chaos", description=__doc__)
    parser.add_argument(
        "--voters", type=int, default=150, help="most fresh voters per fault (the storm lasts the fault plus 3 s)"
    )
    parser.add_argument("--out", type=Path, default=None, help="docs/reliability.md to update")
    args = parser.parse_args(argv)
    return run(args.voters, args.out)


if __name__ == "__main__":
    sys.exit(main())
