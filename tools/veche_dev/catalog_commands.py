"""`veche demo-load` and `veche import-municipalities`, through the running submissions service."""

import argparse
import asyncio
import sys
import time
from pathlib import Path

from veche_dev.endpoints import add_nats, catalog_connection


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    demo = commands.add_parser("demo-load", help="load the demo contest forum-2018 (idempotent)")
    add_nats(demo)
    demo.set_defaults(run=_demo_load)
    imports = commands.add_parser(
        "import-municipalities",
        help="register municipalities from a CSV file (idempotent; a file with errors imports nothing)",
        description="columns: id,country,name_<lang>...,region_<lang>...,lat,lon,population (header line required;"
        " <lang> a BCP 47 tag: name_ru,name_en)",
    )
    imports.add_argument("file", type=Path)
    add_nats(imports)
    imports.add_argument("--quiet", action="store_true", help="no progress bar")
    imports.set_defaults(run=_import_municipalities)


def _demo_load(args: argparse.Namespace) -> int:

    from veche_dev.demo_load import load_demo

    async def go() -> None:
        nc = await catalog_connection(args.nats)
        try:
            contest = await load_demo(nc)
        finally:
            await nc.close()
        print(f"demo contest {contest.id} is in phase {contest.phase}")

    asyncio.run(go())
    return 0


def _import_municipalities(args: argparse.Namespace) -> int:

    from veche_dev.csv_import import import_rows, parse
    from veche_shared.errors import DomainError
    from veche_shared.municipality_import import ImportRejected

    async def go() -> tuple[int, int]:
        nc = await catalog_connection(args.nats)
        try:
            # the submissions service records each batch in the audit trail, with the operator of the key
            return await import_rows(nc, parse(args.file), progress=not args.quiet)
        finally:
            await nc.close()

    started = time.perf_counter()
    try:
        created, unchanged = asyncio.run(go())
    except ImportRejected as failed:
        for problem in failed.problems[:50]:
            print(f"{args.file}: {problem}", file=sys.stderr)
        more = len(failed.problems) - 50
        print(f"{'…and ' + str(more) + ' more; ' if more > 0 else ''}nothing was imported", file=sys.stderr)
        return 1
    except DomainError as refused:
        print(f"refused by the service: {refused.code}: {refused.message}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    rate = (created + unchanged) / elapsed if elapsed else 0
    print(f"{created} registered, {unchanged} already there ({elapsed:.1f} s, {rate:.0f} rows/s)")
    return 0
