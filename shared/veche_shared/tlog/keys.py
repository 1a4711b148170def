"""The development log key: public in this file, so its name carries the placeholder that production refuses."""

import hashlib
from typing import Annotated

from pydantic import AfterValidator, SecretStr

from veche_shared.settings import DEV_PLACEHOLDER
from veche_shared.tlog.note import NoteError, Signer

DEV_LOG_ORIGIN = "veche.localhost"
DEV_LOG_SIGNER = Signer(f"{DEV_LOG_ORIGIN}/{DEV_PLACEHOLDER}", hashlib.sha256(b"veche development log key").digest())
DEV_LOG_SIGNING_KEY = DEV_LOG_SIGNER.skey
DEV_LOG_VERIFIER_KEY = DEV_LOG_SIGNER.verifier.vkey


def log_origin(platform: str, contest: str, nomination: str) -> str:
    """The origin line of a nomination's log checkpoints."""
    return f"{platform}/{contest}/{nomination}"


def _signer_key(key: SecretStr) -> SecretStr:
    try:
        Signer.parse(key.get_secret_value())
    except NoteError as exc:
        raise ValueError(f"log_signing_key: {exc}") from None
    return key


SigningKey = Annotated[SecretStr, AfterValidator(_signer_key)]
SIGNING_KEY_HELP = (
    "Ed25519 key that signs log checkpoints, boards and receipts, as `PRIVATE+KEY+<name>+<id>+<key>`; the same in "
    "voting and results, its public half in the gateway (docs/verifiability.md)"
)
