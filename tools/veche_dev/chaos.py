"""`make chaos`: the cluster shape on free ports, a vote storm through HAProxy, and one fault per phase
(SIGKILL then restart; finally a rolling restart). After each phase every accepted ballot must be counted
exactly once per practice, in the single-choice nomination n0 and in the approval nomination n1 (up to 3
practices a ballot, each counted once, and the ballots counted), every second ballot refused and the recount
clean, and the transparency log of each nomination must hold every accepted ballot under a signed checkpoint
consistent with the one after the previous fault (chaos_log.py). Writes docs/reliability.md."""

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
from veche_dev.chaos_log import LogBroken, LogCheck
from veche_dev.chaos_storm import APPROVAL, MAX_CHOICES, SINGLE, Tally, storm
from veche_dev.cluster import ClusterPlatform, replicas
from veche_dev.devkeys import dev_operator_env
from veche_dev.natscluster import PASSWORDS_ENV, NatsCluster, harness_options, wait_jetstream
from veche_dev.up import DEV_IDENTITY_ENV
from veche_shared import subjects

CONTEST = "chaos"
DEVICE_CONTEST = "chaos-device"  # every third voter is an anonymous one: a device token, then a ballot
LIFTED = {f"VECHE_GATEWAY_RATE_IP_{k}__{f}": "1000000" for k in ("WRITES", "READS") for f in ("BURST", "PER_SECOND")}
HEADER = (
    "| fault | ballots accepted (all phases) | counted | approval ballots accepted (all phases) "
    "| approval ballots, approvals counted | second ballots refused | same-key retries answered alike "
    "| client-visible errors | longest outage | converged in | recount | device-token answers (payload retried) "
    "| proofs of work lost | transparency log |"
)


def open_contest(admin: httpx.Client) -> dict[str, list[str]]:
    """A jwt-mode contest open for voting: nomination n0 (single choice) with three approved practices, n1
    ("choose up to 3") with four."""

    def ok(answer: httpx.Response) -> None:
        assert answer.status_code in (200, 201), answer.text

    ok(
        admin.post(
            "/contests", json={"id": CONTEST, "title": {"en": "Chaos"}, "identity_mode": "jwt", "visibility": "live"}
        )
    )
    ok(admin.post(f"/contests/{CONTEST}/nominations", json={"id": SINGLE, "title": {"en": "N0"}}))
    approval = {"id": APPROVAL, "title": {"en": "N1"}, "max_choices": MAX_CHOICES, "min_choices": 1}
    ok(admin.post(f"/contests/{CONTEST}/nominations", json=approval))
    practices: dict[str, list[str]] = {SINGLE: [], APPROVAL: []}
    for i in range(4):
        city = {"id": f"chaos-city{i}", "name": {"en": f"City {i}"}, "country": "RU", "lat": 58.0, "lon": 56.0 + i}
        ok(admin.post("/municipalities", json=city))
        for nomination, prefix in ((SINGLE, "chaos-p"), (APPROVAL, "chaos-a")):
            if nomination == SINGLE and i == 3:
                continue
            body = {"id": f"{prefix}{i}", "nomination": nomination, "municipality": city["id"], "title": f"{prefix}{i}"}
            ok(admin.post(f"/contests/{CONTEST}/practices", json=body))
            ok(admin.post(f"/practices/{prefix}{i}/approve", json={}))
            practices[nomination].append(f"{prefix}{i}")
    for phase in ("submissions_open", "voting_open"):
        ok(admin.post(f"/contests/{CONTEST}/phase", json={"phase": phase}))
    return practices


def open_device_contest(admin: httpx.Client) -> list[str]:
    """A device-mode contest open for voting, nomination n0 with three approved practices (cheap challenges)."""

    def ok(answer: httpx.Response) -> None:
        assert answer.status_code in (200, 201), answer.text

    contest = {"id": DEVICE_CONTEST, "title": {"en": "Chaos, anonymous"}, "identity_mode": "device"}
    ok(admin.post("/contests", json=contest | {"visibility": "live", "device_difficulty": 50}))
    ok(admin.post(f"/contests/{DEVICE_CONTEST}/nominations", json={"id": "n0", "title": {"en": "N0"}}))
    practices = []
    for i in range(3):
        body = {"id": f"chaos-d{i}", "nomination": "n0", "municipality": f"chaos-city{i}", "title": f"d{i}"}
        ok(admin.post(f"/contests/{DEVICE_CONTEST}/practices", json=body))
        ok(admin.post(f"/practices/chaos-d{i}/approve", json={}))
        practices.append(f"chaos-d{i}")
    for phase in ("submissions_open", "voting_open"):
        ok(admin.post(f"/contests/{DEVICE_CONTEST}/phase", json={"phase": phase}))
    return practices


def board(api: httpx.Client, nomination: str) -> tuple[dict[str, int], int]:
    """A nomination's public standings: votes per practice with any, and its counted ballots."""
    found = api.get(f"/api/v1/contests/{CONTEST}/nominations/{nomination}/leaderboard").json()
    return {e["practice"]: e["votes"] for e in found.get("entries", []) if e["votes"]}, found.get("total_ballots", 0)


def expected_boards(t: Tally) -> dict[str, tuple[dict[str, int], int]]:
    single, approvals = Counter(t.accepted.values()), Counter(p for chosen in t.approved.values() for p in chosen)
    return {SINGLE: (dict(single), len(t.accepted)), APPROVAL: (dict(approvals), len(t.approved))}


def converge(api: httpx.Client, expected: dict[str, tuple[dict[str, int], int]], limit: float = 90) -> float | None:
    """Seconds until the public boards (either gateway) show exactly the expected counts; None if never."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        seen = [{n: board(api, n) for n in expected} for _ in range(2)]  # round robin: both gateways
        if all(s == expected for s in seen):
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


async def phase(
    p: ClusterPlatform,
    practices: dict[str, list[str]],
    fault: Callable[[], None],
    most: int,
    t: Tally,
    device: tuple[str, list[str]] | None = None,
) -> None:
    """The storm runs from 1 s before the fault until 2 s after it is over (at most `most` voters)."""
    stop = asyncio.Event()
    running = asyncio.create_task(storm(p.url(), CONTEST, practices, stop, most, t, device=device))
    await asyncio.sleep(1.0)
    await asyncio.to_thread(fault)
    await asyncio.sleep(2.0)
    stop.set()
    await running


def check_log(logs: LogCheck, total: Tally, t: Tally) -> str:
    """The logs after a fault: every ballot accepted in it proven included, the tree consistent with the last."""
    try:
        return logs.after_fault({SINGLE: len(total.accepted), APPROVAL: len(total.approved)}, t.receipts)
    except (LogBroken, httpx.HTTPError) as exc:
        return f"FAILED: {exc}"


def row(
    name: str,
    t: Tally,
    total: Tally,
    boards: dict[str, tuple[dict[str, int], int]],
    took: float | None,
    checks: tuple[str, str],
) -> str:
    recount, log = checks
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(t.errors.items())) or "none"
    converged = f"{took:.1f} s" if took is not None else "NEVER"
    refused = f"{t.second_refused} of {t.second_refused + t.second_accepted}"
    approvals = sum(len(chosen) for chosen in total.approved.values())
    devices = ", ".join(f"{k}: {v}" for k, v in sorted(t.device_answers.items())) or "none"
    counted_single, (counted_approvals, counted_ballots) = sum(boards[SINGLE][0].values()), boards[APPROVAL]
    return (
        f"| {name} | {len(t.accepted)} ({len(total.accepted)}) | {counted_single} "
        f"| {len(t.approved)} ({len(total.approved)} with {approvals} approvals) "
        f"| {counted_ballots}, {sum(counted_approvals.values())} | {refused} | {t.retries_same_key_ok} | {errors} "
        f"| {t.longest_outage:.1f} s | {converged} | {recount} | {devices} | {t.device_lost} | {log} |"
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
    p.extra_env |= DEV_IDENTITY_ENV  # every voter comes from loopback: no per-address device-token limit
    rows, failed = [HEADER, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"], False
    try:
        p.start_all()
        key = (state / "admin-key").read_text().strip()
        admin = httpx.Client(base_url=f"{p.url()}/api/v1/admin", headers={"X-API-Key": key}, timeout=120)
        api = httpx.Client(base_url=p.url(), timeout=10)
        practices, total = open_contest(admin), Tally()
        device = (DEVICE_CONTEST, open_device_contest(admin))
        logs = LogCheck(api, CONTEST)
        for name, fault in faults(p, db, db_port):
            t = Tally()
            asyncio.run(phase(p, practices, fault, voters, t, device))
            total.accepted |= t.accepted
            total.approved |= t.approved
            took = converge(api, expected_boards(total))
            report = admin.post(f"/contests/{CONTEST}/recount").json()
            recount = "clean" if report.get("differences") == [] else f"DIFFERENT {report}"
            boards = {n: board(api, n) for n in (SINGLE, APPROVAL)}
            log = check_log(logs, total, t)
            rows.append(row(name, t, total, boards, took, (recount, log)))
            print(rows[-1], flush=True)
            failed |= took is None or recount != "clean" or t.second_accepted > 0 or not log.startswith("ok")
            failed |= t.device_lost > 0 or t.device_answers["500"] > 0  # issue 26: no 500, no lost proof of work
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
