"""What the gateway's routes share, typed: `gateway(request)` (made by build_app) and `opened(request)` (by
its lifespan). Routes read these, never untyped attributes of app.state."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import Request
from faststream.nats import NatsBroker

from veche_gateway.api.log_reads import ImmutableReads, RecentReads
from veche_gateway.auth.issue_limits import IssueLimits
from veche_gateway.auth.openid_client import OidcClient
from veche_gateway.live.boards import LiveBoards
from veche_gateway.live.sse import Connections
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.settings import GatewaySettings
from veche_shared.lifespan import Running
from veche_shared.status import Roster


@dataclass(frozen=True)
class Gateway:
    settings: GatewaySettings
    broker: NatsBroker
    metrics: GatewayMetrics
    boards: LiveBoards
    streams: Connections
    started_at: float  # time.monotonic() when the app was built
    clock: Callable[[], datetime]  # the wall clock every route and middleware reads (tests pass their own)
    log_reads: ImmutableReads = field(default_factory=ImmutableReads)
    log_heads: RecentReads = field(default_factory=RecentReads)  # the latest checkpoint of each log, for 1 s
    instances: Roster = field(default_factory=Roster)  # the services' instances the overview waits for


@dataclass(frozen=True)
class Opened:
    """What the lifespan opened: the connected broker's parts and the OpenID client."""

    gateway: Gateway
    issue_limits: IssueLimits
    oidc: OidcClient


def gateway(request: Request) -> Gateway:
    found: Gateway = request.app.state.gateway
    return found


def opened(request: Request) -> Opened:
    running: Running[Opened] = request.app.state.running
    if running.state is None:  # routes are served only between start-up and shutdown
        raise RuntimeError("the gateway is not running")
    return running.state
