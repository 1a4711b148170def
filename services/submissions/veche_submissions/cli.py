"""`veche demo-load`: the demo contest, through the running submissions service."""

import argparse
import asyncio
import os

import nats


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    demo = commands.add_parser("demo-load", help="load the demo contest forum-2018 (idempotent)")
    demo.add_argument("--nats", default=os.environ.get("VECHE_NATS_URL", "nats://127.0.0.1:4222"))
    demo.set_defaults(run=_demo_load)


def _demo_load(args: argparse.Namespace) -> int:
    from veche_submissions.demo_load import load_demo

    async def go() -> None:
        nc = await nats.connect(args.nats)
        try:
            contest = await load_demo(nc)
        finally:
            await nc.close()
        print(f"demo contest {contest.id} is in phase {contest.phase}")

    asyncio.run(go())
    return 0
