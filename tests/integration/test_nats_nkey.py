"""A process may prove its NATS identity with an nkey seed from its settings instead of a password.

The test's own nats-server knows the gateway role by its public nkey only, with the gateway's permissions
(tools nats_config); the seed the settings point to signs the server's nonce, and a wrong seed is refused.
"""

import json
import os
from pathlib import Path

import nkeys
import pytest
from nats.errors import Error as NatsError

from tests.integration.own_nats import assert_bound_as_gateway, nats_server, refused_connect
from veche_dev import nats_config
from veche_gateway.settings import GatewaySettings


def new_seed(folder: Path, name: str) -> tuple[Path, str]:
    """A fresh user nkey pair: the seed in a file readable by its owner only, and the public key."""
    keys = nkeys.from_seed(nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER))
    seed = folder / f"{name}.nk"
    seed.touch(mode=0o600)
    seed.write_bytes(keys.seed)
    return seed, keys.public_key.decode()


def gateway_settings(url: str, seed: Path) -> GatewaySettings:
    # the suite's environment also gives the gateway a user/password; the seed file must be the one used
    return GatewaySettings(nats_url=url, nats_nkey_seed_file=seed)


async def test_an_nkey_seed_from_the_settings_connects_with_its_roles_permissions(tmp_path: Path) -> None:
    seed, public = new_seed(tmp_path, "gateway")
    users = [{"nkey": public, "permissions": nats_config.permissions("gateway")}]
    with nats_server(tmp_path, "authorization " + json.dumps({"users": users})) as url:
        await assert_bound_as_gateway(gateway_settings(url, seed))


async def test_a_wrong_seed_is_refused(tmp_path: Path) -> None:
    _, public = new_seed(tmp_path, "gateway")
    wrong, _ = new_seed(tmp_path, "someone-else")
    users = [{"nkey": public, "permissions": nats_config.permissions("gateway")}]
    with (
        nats_server(tmp_path, "authorization " + json.dumps({"users": users})) as url,
        pytest.raises(NatsError, match=r"(?i)authorization"),
    ):
        await refused_connect(gateway_settings(url, wrong))
