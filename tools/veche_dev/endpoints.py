"""Where operator commands find the platform: `--nats` and `--mongodb`, read from the same variables everywhere."""

import argparse
import json
import os
from pathlib import Path

from nats.aio.client import Client
from pydantic import SecretStr

from veche_dev import devstack, nats_config
from veche_dev.devkeys import OPERATOR_KEY_ENV, dev_admin_key
from veche_dev.provision import ProvisionSettings
from veche_shared import nats_auth
from veche_shared.rpc.actors import operator_key_var
from veche_shared.settings import VecheSettings

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


def nats_servers(url: str) -> list[str]:
    """--nats may list the nodes of a cluster, comma separated (as the services' VECHE_*_NATS_URL do)."""
    return [u.strip() for u in url.split(",") if u.strip()]


def local_passwords(state: Path) -> dict[str, str]:
    """The NATS passwords of `veche up` (one per role, made once, kept in the git-ignored .local folder)."""
    path = state / "nats-passwords.json"
    if not path.exists():
        state.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(nats_config.new_passwords()))
    passwords: dict[str, str] = json.loads(path.read_text())
    if missing := set(nats_config.ROLES) - set(passwords):  # a role added since (the provisioning identity)
        passwords |= {role: password for role, password in nats_config.new_passwords().items() if role in missing}
        path.write_text(json.dumps(passwords))
    return passwords


async def operator_connection(nats_url: str) -> Client:
    """NATS as the operator identity: VECHE_NATS_USER / _PASSWORD (or _CREDS_FILE, _NKEY_SEED_FILE, _TLS_CA_FILE);
    without any, the operator user of a `veche up` in this checkout. Outside VECHE_ENVIRONMENT=dev/test the
    settings refuse short or missing credentials (docs/security.md). The catalog changes of the commands carry the
    operator key of VECHE_OPERATOR_KEY (in a `veche up` checkout, its development admin key), which the submissions
    service checks and records; the operator identity may not ask for them without one."""
    settings = VecheSettings(nats_url=nats_url)
    local = devstack.project_root() / ".local" / "nats-passwords.json"
    key = os.environ.get(OPERATOR_KEY_ENV) or None
    if not settings.nats_credentials_set() and local.exists():
        operator = local_passwords(local.parent)["operator"]
        settings = VecheSettings(nats_url=nats_url, nats_user="operator", nats_password=SecretStr(operator))
        key = key or dev_admin_key(local.parent)
    operator_key_var.set(key)
    return await nats_auth.connect(settings)


async def catalog_connection(nats_url: str) -> Client:
    """operator_connection for commands that change the catalog: as a NATS user (the operator identity) they need an
    operator key, which the service checks; refused at once without one (the server would refuse the request)."""
    nc = await operator_connection(nats_url)
    if operator_key_var.get() is None and VecheSettings(nats_url=nats_url).nats_credentials_set():
        await nc.close()
        raise SystemExit(f"this command changes the catalog: set {OPERATOR_KEY_ENV} to your operator key")
    return nc


async def provision_connection(nats_url: str) -> Client:
    """NATS as the provisioning identity (VECHE_PROVISION_NATS_*, else the `veche up` one of this checkout): the
    only one that may declare streams, and back them up or restore them."""
    settings = ProvisionSettings(nats_url=nats_url)
    local = devstack.project_root() / ".local" / "nats-passwords.json"
    if not settings.nats_credentials_set() and local.exists():
        password = SecretStr(local_passwords(local.parent)[nats_config.PROVISION])
        settings = ProvisionSettings(nats_url=nats_url, nats_user=nats_config.PROVISION, nats_password=password)
    return await nats_auth.connect(settings, role=nats_config.PROVISION)
