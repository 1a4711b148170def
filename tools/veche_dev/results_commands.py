"""`veche results-recount`, `results-export` and `verify`: parsed here, run by results_ops (imported on use,
so that `veche` starts fast whatever the command)."""

import argparse
import asyncio
from pathlib import Path

from veche_dev.endpoints import add_mongodb, add_nats


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    recount = commands.add_parser("results-recount", help="replay VOTES and compare with the live counts")
    recount.add_argument("contest")
    add_nats(recount)
    add_mongodb(recount)
    recount.add_argument("--database", default="results", help="the results service's database (default: results)")
    recount.set_defaults(run=_recount)
    export = commands.add_parser("results-export", help="write the certificate and the anonymised ballots")
    export.add_argument("contest")
    export.add_argument("--out", type=Path, default=Path("."), help="folder for certificate.json, ballots.*")
    add_nats(export)
    export.set_defaults(run=_export)
    check = commands.add_parser("verify", help="recompute a certificate from an export of the ballots")
    check.add_argument("certificate", type=Path)
    check.add_argument("ballots", type=Path, help="ballots.jsonl from results-export (log-*.txt beside it)")
    check.add_argument("--log-key", help="the platform's log verifier key (GET /api/v1/log/key): checks signatures")
    check.set_defaults(run=_verify)


def _recount(args: argparse.Namespace) -> int:
    from veche_dev.results_ops import recount_contest

    return asyncio.run(recount_contest(args.contest, args.nats, args.mongodb, args.database))


def _export(args: argparse.Namespace) -> int:
    from veche_dev.results_ops import export_contest

    return asyncio.run(export_contest(args.contest, args.out, args.nats))


def _verify(args: argparse.Namespace) -> int:
    from veche_dev.results_ops import verify_export

    return verify_export(args.certificate, args.ballots, args.log_key)
