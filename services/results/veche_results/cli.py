"""`veche results-recount CONTEST`: replay the ledger and compare with the live leaderboards."""

import argparse
import asyncio

import nats

from veche_results.settings import ResultsSettings
from veche_shared.mongo import make_mongo


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    recount = commands.add_parser("results-recount", help="replay VOTES and compare with the live counts")
    recount.add_argument("contest")
    recount.set_defaults(run=_recount)


def _recount(args: argparse.Namespace) -> int:
    from veche_results.recount import recount

    settings = ResultsSettings()

    async def go() -> int:
        nc = await nats.connect(settings.nats_url)
        mongo = make_mongo(settings.mongodb_url, "results-recount")
        try:
            differences = await recount(nc.jetstream(), mongo, settings.database, args.contest, progress=True)
        finally:
            await nc.close()
            await mongo.close()
        for d in differences:
            print(f"DIFFERENT {d.nomination}/{d.practice}: live {d.live}, recounted {d.recounted}")
        print(f"{len(differences)} difference(s) in {args.contest}")
        return 1 if differences else 0

    return asyncio.run(go())
