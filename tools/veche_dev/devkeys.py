"""A development operator key for `veche up`: made once, kept in the git-ignored .local folder."""

import hashlib
import json
import secrets
from pathlib import Path

OPERATOR_KEY_ENV = "VECHE_OPERATOR_KEY"  # the operator key the commands act with


def dev_admin_key(state: Path) -> str:
    path = state / "admin-key"
    if not path.exists():
        state.mkdir(parents=True, exist_ok=True)
        path.write_text(f"dev-{secrets.token_urlsafe(24)}\n")
        path.chmod(0o600)
    return path.read_text().strip()


def operator_keys_env(keys: list[tuple[str, str, str]]) -> dict[str, str]:
    """Gateway settings for (name, role, key) triples: only the SHA-256 of each key leaves here."""
    value = json.dumps(
        [{"name": n, "role": r, "key_sha256": hashlib.sha256(k.encode()).hexdigest()} for n, r, k in keys]
    )
    return {"VECHE_GATEWAY_OPERATOR_KEYS": value, "VECHE_VOTING_OPERATOR_KEYS": value}  # voting checks annulments


def cli_operator_env(name: str, key: str) -> dict[str, str]:
    """The operator commands act with key (VECHE_OPERATOR_KEY), which the submissions service knows as name's."""
    value = json.dumps([{"name": name, "role": "admin", "key_sha256": hashlib.sha256(key.encode()).hexdigest()}])
    return {"VECHE_SUBMISSIONS_OPERATOR_KEYS": value, OPERATOR_KEY_ENV: key}


def dev_operator_env(state: Path) -> dict[str, str]:
    key = dev_admin_key(state)
    return operator_keys_env([("dev-admin", "admin", key)]) | cli_operator_env("dev-admin", key)
