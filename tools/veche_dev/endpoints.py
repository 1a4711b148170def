"""Where operator commands find the platform: `--nats` and `--mongodb`, read from the same variables everywhere."""

import argparse
import os

NATS_ENV, NATS_DEFAULT = "VECHE_NATS_URL", "nats://127.0.0.1:4222"
MONGODB_ENV, MONGODB_DEFAULT = "VECHE_MONGODB_URL", "mongodb://127.0.0.1:27017/"


def add_nats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nats",
        default=os.environ.get(NATS_ENV, NATS_DEFAULT),
        help=f"NATS server URL (default: ${NATS_ENV} or {NATS_DEFAULT})",
    )


def add_mongodb(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mongodb",
        default=os.environ.get(MONGODB_ENV, MONGODB_DEFAULT),
        help=f"MongoDB connection string (default: ${MONGODB_ENV} or {MONGODB_DEFAULT})",
    )
