"""What the gateway's routes share, typed: made once by app.py, read by routes through `gateway(request)`."""

from dataclasses import dataclass

from fastapi import Request
from faststream.nats import NatsBroker

from veche_gateway.live import LiveBoards
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.settings import GatewaySettings
from veche_gateway.sse import Connections


@dataclass(frozen=True)
class Gateway:
    settings: GatewaySettings
    broker: NatsBroker
    metrics: GatewayMetrics
    boards: LiveBoards
    streams: Connections
    started_at: float  # time.monotonic() when the app was built


def gateway(request: Request) -> Gateway:
    found: Gateway = request.app.state.gateway
    return found
