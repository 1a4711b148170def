"""/metrics of the gateway on its own internal listener: the public port must not tell accepted-ballot counts.

prometheus_client's server runs in a daemon thread of the process; its collectors are thread-safe.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, start_http_server

from veche_gateway.settings import GatewaySettings


@contextmanager
def metrics_listener(settings: GatewaySettings, registry: CollectorRegistry) -> Iterator[int]:
    """Serve registry at http://<metrics_host>:<metrics_port>/metrics while the block runs; yields the bound port."""
    server, thread = start_http_server(settings.metrics_port, settings.metrics_host, registry=registry)
    try:
        yield int(server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
