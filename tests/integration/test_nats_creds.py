"""A process may prove its NATS identity with a `.creds` file from its settings (decentralized JWT auth).

The test's own nats-server trusts an operator and preloads one account; the gateway's user JWT, signed by that
account, carries the gateway role's permissions (tools nats_config); a user signed by a stranger is refused.
"""

from pathlib import Path

import nkeys
import pytest
from nats.aio.client import Client
from nats.errors import Error as NatsError

from tests.integration.nats_jwt import Operator, new_keys
from tests.integration.own_nats import Violations, nats_server, refused_connect
from veche_dev import nats_config
from veche_gateway.settings import GatewaySettings
from veche_shared import nats_auth, subjects

pytestmark = pytest.mark.integration


def creds_file(folder: Path, text: str) -> Path:
    path = folder / "gateway.creds"
    path.touch(mode=0o600)
    path.write_text(text)
    return path


async def test_a_creds_file_from_the_settings_connects_with_its_users_permissions(tmp_path: Path) -> None:
    operator = Operator()
    creds = creds_file(tmp_path, operator.user_creds(nats_config.permissions("gateway")))
    with nats_server(tmp_path, operator.server_config()) as url:
        seen = Violations()
        settings = GatewaySettings(nats_url=url, nats_creds_file=creds)
        nc: Client = await nats_auth.connect(settings, error_cb=seen.collect, allow_reconnect=False)
        try:
            await nc.subscribe(subjects.LIVE_LEADERBOARD_ALL)
            assert await seen.after(nc) == []
            await nc.publish("votes.cast.c.n.voter", b"{}")
            assert any("votes.cast.c.n.voter" in v for v in await seen.after(nc)), seen.errors
        finally:
            await nc.close()


async def test_a_user_signed_by_another_account_is_refused(tmp_path: Path) -> None:
    operator = Operator()
    stranger = new_keys(nkeys.PREFIX_BYTE_ACCOUNT)
    creds = creds_file(tmp_path, operator.user_creds(nats_config.permissions("gateway"), signer=stranger))
    with nats_server(tmp_path, operator.server_config()) as url, pytest.raises(NatsError, match=r"(?i)authoriz"):
        await refused_connect(GatewaySettings(nats_url=url, nats_creds_file=creds))
