"""The development log key: public in this file, so its name carries the placeholder that production refuses."""

import hashlib

from veche_shared.settings import DEV_PLACEHOLDER
from veche_shared.tlog.note import Signer

DEV_LOG_ORIGIN = "veche.localhost"
DEV_LOG_SIGNER = Signer(f"{DEV_LOG_ORIGIN}/{DEV_PLACEHOLDER}", hashlib.sha256(b"veche development log key").digest())
DEV_LOG_SIGNING_KEY = DEV_LOG_SIGNER.skey
DEV_LOG_VERIFIER_KEY = DEV_LOG_SIGNER.verifier.vkey


def log_origin(platform: str, contest: str, nomination: str) -> str:
    """The origin line of a nomination's log checkpoints."""
    return f"{platform}/{contest}/{nomination}"
