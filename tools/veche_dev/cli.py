"""The `veche` command: `veche up` for development and the operator commands, all in one parser."""

import argparse
import sys

from veche_dev import (
    catalog_commands,
    demo_votes,
    ledger_backup,
    ledger_migrate,
    nats_config,
    provision,
    results_commands,
    roll_upload,
    up,
    up_cluster,
    witness,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="veche", description="Veche public voting platform")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (
        up,
        up_cluster,
        provision,
        catalog_commands,
        results_commands,
        ledger_backup,
        ledger_migrate,
        demo_votes,
        nats_config,
        roll_upload,
        witness,
    ):
        module.register(commands)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
