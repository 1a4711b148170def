"""A process may prove its NATS identity with a `.creds` file from its settings (decentralized JWT auth).

The test's own nats-server trusts an operator and preloads one account; the gateway's user JWT, signed by that
account, carries the gateway role's permissions (tools nats_config); a user signed by a stranger is refused.
"""

from pathlib import Path

import nkeys
import pytest
from nats.errors import Error as NatsError

from tests.integration.nats_jwt import Operator, new_keys
from tests.integration.own_nats import assert_bound_as_gateway, nats_server, refused_connect
from veche_dev import nats_config
from veche_gateway.settings import GatewaySettings


def creds_file(folder: Path, text: str) -> Path:
    path = folder / "gateway.creds"
    path.touch(mode=0o600)
    path.write_text(text)
    return path


async def test_a_creds_file_from_the_settings_connects_with_its_users_permissions(tmp_path: Path) -> None:
    operator = Operator()
    creds = creds_file(tmp_path, operator.user_creds(nats_config.permissions("gateway")))
    with nats_server(tmp_path, operator.server_config()) as url:
        await assert_bound_as_gateway(GatewaySettings(nats_url=url, nats_creds_file=creds))


async def test_a_user_signed_by_another_account_is_refused(tmp_path: Path) -> None:
    operator = Operator()
    stranger = new_keys(nkeys.PREFIX_BYTE_ACCOUNT)
    creds = creds_file(tmp_path, operator.user_creds(nats_config.permissions("gateway"), signer=stranger))
    with nats_server(tmp_path, operator.server_config()) as url, pytest.raises(NatsError, match=r"(?i)authoriz"):
        await refused_connect(GatewaySettings(nats_url=url, nats_creds_file=creds))
