"""Transparency log cost probe (`make tlog-cost`): what the log adds per ballot, and how fast proofs and tiles read.

Starts the local database on a free port and appends N ballots of 11 nominations through the results service's
own LogStore in 1,000-message batches (as the projector does), then measures:
- CPU per ballot of this process (entry line, leaf hash, frontier, tile and head writes) and of the database;
- bytes per ballot: the BSON size of every log_tiles and log_heads document, over N;
- inclusion proofs and tiles per second read by one process (an uncached proof reads its tiles from the database;
  full tiles then come from the process's cache), and checkpoint signing per second.
HTTP is not in these numbers (the gateway adds its per-request cost, bench/README.md scenario 3).
Writes bench/results/tlog-cost.json (appends one run per call).
"""

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bson

from bench.procs import cpu_seconds
from veche_dev import devstack
from veche_results.log_entries import leaves_of
from veche_results.projector import counted_of
from veche_results.repository import TallyRepository
from veche_results.tlog_store import LogStore
from veche_shared.contracts.catalog import IdentityMode
from veche_shared.contracts.votes import VoteCast
from veche_shared.mongo import make_mongo
from veche_shared.tlog.merkle import TILE_WIDTH
from veche_shared.tlog.note import Checkpoint, Signer, sign_note
from veche_shared.tlog.tiles import TileId

RESULTS = Path(__file__).parent / "results" / "tlog-cost.json"
NOMINATIONS = [f"n{i:02d}" for i in range(11)]


def ballots(count: int) -> list[VoteCast]:
    start = datetime.now(UTC)
    return [
        VoteCast(
            vote_id=f"bench{i:012d}",
            contest="forum-2018",
            nomination=NOMINATIONS[i % 11],
            practices=[f"p{i % 7}"],
            voter_hash=f"{i:064x}",
            identity_mode=IdentityMode.jwt,
            cast_at=start + timedelta(microseconds=i),
        )
        for i in range(count)
    ]


async def measure(url: str, db_pid: int, count: int, reads: int) -> dict[str, float | str]:
    mongo = make_mongo(url, "tlog-cost")
    logs, tallies = LogStore(mongo, "tlog_cost"), TallyRepository(mongo, "tlog_cost")
    await tallies.ensure_indexes()
    events = ballots(count)
    tally_cpu = tally_db = 0.0
    cpu0, db0, t0 = time.process_time(), cpu_seconds(db_pid), time.perf_counter()
    for first in range(0, count, 1_000):
        leaves = [leaf for seq, b in enumerate(events[first : first + 1_000], first + 1) for leaf in leaves_of(seq, b)]
        await logs.append(leaves)
        # the same batch's tallies, as the projector writes them: the cost the log is compared with
        c, d = time.process_time(), cpu_seconds(db_pid)
        await tallies.apply(
            [i for seq, b in enumerate(events[first : first + 1_000], first + 1) for i in counted_of(seq, b)]
        )
        tally_cpu, tally_db = tally_cpu + time.process_time() - c, tally_db + cpu_seconds(db_pid) - d
    cpu1, db1, t1 = time.process_time() - tally_cpu, cpu_seconds(db_pid) - tally_db, time.perf_counter()
    size = 0
    for name in ("log_tiles", "log_heads"):
        size += sum([len(bson.encode(d)) async for d in mongo["tlog_cost"][name].find()])
    heads = {n: (await logs.head(("forum-2018", n))).size for n in NOMINATIONS}
    cold = LogStore(mongo, "tlog_cost")  # no tile cached: every proof reads its tiles
    t2 = time.perf_counter()
    for _ in range(reads):
        n = random.choice(NOMINATIONS)
        await cold.inclusion(("forum-2018", n), random.randrange(heads[n]), heads[n])
    t3 = time.perf_counter()
    for _ in range(reads):
        n = random.choice(NOMINATIONS)
        await logs.tile(("forum-2018", n), TileId(0, random.randrange(heads[n] // TILE_WIDTH)), heads[n])
    t4 = time.perf_counter()
    signer = Signer.generate("vote.example.org")
    text = Checkpoint("vote.example.org/forum-2018/n00", heads["n00"], bytes(32)).text
    for _ in range(reads):
        sign_note(text, signer)
    t5 = time.perf_counter()
    await mongo.drop_database("tlog_cost")
    await mongo.close()
    return {
        "ballots": count,
        "append_seconds": round(t1 - t0, 2),
        "log_cpu_us_per_ballot": round((cpu1 - cpu0) / count * 1e6, 1),
        "log_db_cpu_us_per_ballot": round((db1 - db0) / count * 1e6, 1),
        "tallies_cpu_us_per_ballot": round(tally_cpu / count * 1e6, 1),
        "tallies_db_cpu_us_per_ballot": round(tally_db / count * 1e6, 1),
        "bytes_per_ballot": round(size / count, 1),
        "cold_inclusion_proofs_per_second": round(reads / (t3 - t2)),
        "cached_tiles_per_second": round(reads / (t4 - t3)),
        "checkpoint_signatures_per_second": round(reads / (t5 - t4)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root, port = Path(folder), devstack.free_port()
        db = devstack.start_localdb(port, root / "db", root / "logs")
        try:
            run = asyncio.run(measure(f"mongodb://127.0.0.1:{port}/", db.popen.pid, args.ballots, args.reads))
        finally:
            db.stop()
    load = float(Path("/proc/loadavg").read_text().split()[0])
    run |= {"at": datetime.now(UTC).isoformat(timespec="seconds"), "load": load}
    RESULTS.parent.mkdir(exist_ok=True)
    history = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps([*history, run], indent=2) + "\n")
    print(json.dumps(run, indent=2))


if __name__ == "__main__":
    main()
