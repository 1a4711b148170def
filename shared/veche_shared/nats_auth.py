"""How a process proves its NATS identity: the credentials and TLS of its settings, never anything from code."""

import ssl
from typing import Any

import nats
from faststream.nats.security import NatsCredentials, NatsNKey, NatsSecurity, NatsUserPassword
from nats.aio.client import Client

from veche_shared.settings import VecheSettings


def inbox_prefix(role: str) -> str:
    """Where a role's replies arrive: its own prefix, the only inbox its NATS identity may subscribe to, so no
    role reads another's replies, pull batches or hidden standings (tools/veche_dev/nats_config.py)."""
    return f"_INBOX_{role}"


def servers(settings: VecheSettings) -> list[str]:
    return [s.strip() for s in settings.nats_url.split(",")]


def tls_context(settings: VecheSettings) -> ssl.SSLContext | None:
    """The server verified by the settings' CA (else the system's), and the client's own certificate if it has one
    (for a server with `verify: true`, mutual TLS)."""
    if settings.nats_tls_ca_file is None and settings.nats_tls_cert_file is None:
        return None
    ca_file = str(settings.nats_tls_ca_file) if settings.nats_tls_ca_file is not None else None
    context = ssl.create_default_context(cafile=ca_file)
    if settings.nats_tls_cert_file is not None and settings.nats_tls_key_file is not None:
        context.load_cert_chain(str(settings.nats_tls_cert_file), str(settings.nats_tls_key_file))
    return context


def broker_security(settings: VecheSettings) -> NatsSecurity | None:
    """The FastStream form of the settings' NATS identity (None: anonymous, for a server without authorization)."""
    context = tls_context(settings)
    if settings.nats_creds_file is not None:
        return NatsCredentials(str(settings.nats_creds_file), ssl_context=context)
    if settings.nats_nkey_seed_file is not None:
        return NatsNKey.from_file(settings.nats_nkey_seed_file, ssl_context=context)
    if settings.nats_user and settings.nats_password is not None:
        return NatsUserPassword(settings.nats_user, settings.nats_password.get_secret_value(), ssl_context=context)
    return NatsSecurity(ssl_context=context) if context is not None else None


def connect_options(settings: VecheSettings) -> dict[str, Any]:
    """The nats-py form of the same identity, for a plain `nats.connect`."""
    context = tls_context(settings)
    options: dict[str, Any] = {"tls": context} if context is not None else {}
    if settings.nats_creds_file is not None:
        return options | {"user_credentials": str(settings.nats_creds_file)}
    if settings.nats_nkey_seed_file is not None:
        return options | {"nkeys_seed": str(settings.nats_nkey_seed_file)}
    if settings.nats_user and settings.nats_password is not None:
        return options | {"user": settings.nats_user, "password": settings.nats_password.get_secret_value()}
    return options


async def connect(settings: VecheSettings, role: str = "operator", **extra: Any) -> Client:
    """A plain nats-py connection with the settings' identity (operator commands, tools), on role's inboxes."""
    options = {"inbox_prefix": inbox_prefix(role)} | extra
    return await nats.connect(servers(settings), **connect_options(settings), **options)
