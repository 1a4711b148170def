"""A process verifies the NATS server's TLS certificate against the CA of its settings.

The test's own nats-server serves TLS with a certificate of a throw-away CA: a connection from settings that name
that CA succeeds; without a CA (the system's) or with another CA the certificate is refused.
"""

import json
import secrets
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.integration.own_nats import nats_server, refused_connect
from tests.integration.pki import Authority
from veche_dev import nats_config
from veche_gateway.settings import GatewaySettings
from veche_shared import nats_auth

PASSWORD = secrets.token_urlsafe(32)


@pytest.fixture
def tls_nats(tmp_path: Path) -> Iterator[tuple[str, Authority]]:
    """The tls:// URL of a nats-server with a certificate of a fresh CA, and that CA."""
    authority = Authority(tmp_path, "veche-test")
    cert_file, key_file = authority.server_certificate()
    tls = {"cert_file": str(cert_file), "key_file": str(key_file), "timeout": 5}
    users = [{"user": "gateway", "password": PASSWORD, "permissions": nats_config.permissions("gateway")}]
    config = f"tls {json.dumps(tls)}\nauthorization {json.dumps({'users': users})}\n"
    with nats_server(tmp_path, config) as url:
        yield url.replace("nats://", "tls://"), authority


def settings(url: str, ca_file: Path | None) -> GatewaySettings:
    return GatewaySettings(
        nats_url=url, nats_user="gateway", nats_password=SecretStr(PASSWORD), nats_tls_ca_file=ca_file
    )


async def test_the_ca_of_the_settings_verifies_the_servers_certificate(tls_nats: tuple[str, Authority]) -> None:
    url, authority = tls_nats
    nc = await nats_auth.connect(settings(url, authority.ca_file), allow_reconnect=False)
    try:
        await nc.flush()
        assert nc.is_connected  # the server's tls block makes TLS required: no plain connection gets here
    finally:
        await nc.close()


async def test_without_the_ca_or_with_another_the_server_is_refused(
    tls_nats: tuple[str, Authority], tmp_path: Path
) -> None:
    url, _ = tls_nats
    other = Authority(tmp_path, "other")
    for ca_file in (None, other.ca_file):
        with pytest.raises(ssl.SSLCertVerificationError):
            await refused_connect(settings(url, ca_file))


@pytest.fixture
def mutual_tls_nats(tmp_path: Path) -> Iterator[tuple[str, Authority]]:
    """A nats-server that also verifies each client's certificate (`verify: true`) against its CA."""
    authority = Authority(tmp_path, "veche-mtls")
    cert_file, key_file = authority.server_certificate()
    tls = {"cert_file": str(cert_file), "key_file": str(key_file), "ca_file": str(authority.ca_file), "verify": True}
    users = [{"user": "gateway", "password": PASSWORD, "permissions": nats_config.permissions("gateway")}]
    config = f"tls {json.dumps(tls | {'timeout': 5})}\nauthorization {json.dumps({'users': users})}\n"
    with nats_server(tmp_path, config) as url:
        yield url.replace("nats://", "tls://"), authority


def with_client_certificate(url: str, authority: Authority, certificate: tuple[Path, Path] | None) -> GatewaySettings:
    cert_file, key_file = certificate or (None, None)
    return settings(url, authority.ca_file).model_copy(
        update={"nats_tls_cert_file": cert_file, "nats_tls_key_file": key_file}
    )


async def test_mutual_tls_admits_a_client_certificate_of_the_ca_and_no_other(
    mutual_tls_nats: tuple[str, Authority], tmp_path: Path
) -> None:
    url, authority = mutual_tls_nats
    mine = with_client_certificate(url, authority, authority.client_certificate("gateway"))
    nc = await nats_auth.connect(mine, allow_reconnect=False)
    try:
        await nc.flush()
        assert nc.is_connected
    finally:
        await nc.close()
    stranger = Authority(tmp_path, "stranger")
    for certificate in (None, stranger.client_certificate("gateway")):  # none at all, or one of another CA
        # TLS 1.3 checks the client's certificate after the handshake: the server then closes the connection,
        # which the client sees as a reset or a broken pipe, depending on whether it was reading or writing
        with pytest.raises((ssl.SSLError, ConnectionError)):
            await refused_connect(with_client_certificate(url, authority, certificate))


def test_a_client_certificate_needs_its_key() -> None:
    with pytest.raises(ValueError, match="go together"):
        GatewaySettings(nats_tls_cert_file=Path("client.pem"))
