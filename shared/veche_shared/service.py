"""What every service process shares: the broker lifecycle and the uvicorn runner."""

import logging

import uvicorn
from fastapi import FastAPI
from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from veche_shared.bus import connection, declare_streams, require_server_version
from veche_shared.logs import setup_logging
from veche_shared.settings import VecheSettings

log = logging.getLogger("veche.service")


async def connect_broker(broker: NatsBroker, settings: VecheSettings, service: str) -> JetStreamContext:
    """Connect and declare service's streams; register subscribers after this, then start the broker."""
    await broker.connect()
    require_server_version(connection(broker))
    js = connection(broker).jetstream()
    await declare_streams(js, settings.stream_replicas, service)
    return js


async def start_broker(broker: NatsBroker) -> None:
    """Start the subscribers and wait until the server has them, so a request right after start is answered."""
    await broker.start()
    await connection(broker).flush()


def nats_connected(broker: NatsBroker) -> bool:
    try:
        return connection(broker).is_connected
    except RuntimeError:
        return False


def run(app: FastAPI, settings: VecheSettings, service: str) -> None:
    """Serve one process: JSON logs, uvicorn on the configured address, graceful stop on SIGTERM."""
    setup_logging(service, settings.log_level)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        proxy_headers=False,  # the gateway reads X-Forwarded-For itself, only from its trusted_proxies
        timeout_graceful_shutdown=5,
    )
