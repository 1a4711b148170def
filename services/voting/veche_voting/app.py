"""Assembly of the voting service."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from fastapi import FastAPI
from faststream.nats import NatsBroker
from prometheus_client import CollectorRegistry

from veche_shared.audit import ServiceTrail, on_stream
from veche_shared.bus import connection
from veche_shared.catalog_snapshot import load_snapshot
from veche_shared.catalog_view import CatalogFollower, CatalogView
from veche_shared.contracts.common import utcnow
from veche_shared.lifespan import Running
from veche_shared.service import nats_connected, open_broker, service_app, service_broker, start_broker
from veche_voting import rpc
from veche_voting.annulments import Annulments
from veche_voting.handlers import Voting
from veche_voting.identity import Identity
from veche_voting.ledger import Ledger
from veche_voting.metrics import VotingMetrics
from veche_voting.roll import VoterRolls
from veche_voting.settings import VotingSettings

log = logging.getLogger("veche.voting")
DRAIN_SECONDS = 10.0  # at a stop, what in-flight casts get at least to finish (each waits its publish_timeout at most)


@dataclass(frozen=True)
class VotingState:
    broker: NatsBroker
    follower: CatalogFollower


@dataclass(frozen=True)
class Ports:
    """What the voting service takes from outside besides its settings; tests pass their own."""

    metrics: VotingMetrics
    identity: Identity
    clock: Callable[[], datetime]


def build_app(
    settings: VotingSettings, *, registry: CollectorRegistry | None = None, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    registry = registry or CollectorRegistry()
    broker = service_broker(settings, "voting", registry)
    identity = Identity(settings)  # reads key files now: a bad key stops the start, not the first vote
    running = Running(partial(start, settings, broker, Ports(VotingMetrics(registry), identity, clock)))
    return service_app("voting", broker, running, readiness, registry)


async def start(settings: VotingSettings, broker: NatsBroker, ports: Ports, stack: AsyncExitStack) -> VotingState:
    stack.push_async_callback(ports.identity.aclose)  # made (and its HTTP client opened) by build_app
    js = await open_broker(stack, broker, settings, "voting")
    view = CatalogView()
    follower = CatalogFollower(js, view)
    stack.push_async_callback(follower.stop)
    await follower.start(await load_snapshot(connection(broker), view, settings.rpc_timeout))
    ledger = Ledger(js, settings.publish_timeout, ports.metrics)
    trail = ServiceTrail(on_stream(js), "voting", ports.clock)
    rpc.register(
        broker, Annulments(ledger, ports.metrics, settings.operator_keys, trail, ports.clock), ports.metrics.rpc
    )
    await follower.wait_caught_up(settings.catalog_timeout)
    rolls = VoterRolls(js, view, ports.identity, settings.operator_keys, ports.clock, settings.publish_timeout, trail)
    rpc.register_rolls(broker, rolls, ports.metrics.rpc)
    voting = Voting(view, ledger, ports.identity, ports.metrics, rolls, settings.log_signer(), ports.clock)
    voters = await rpc.serve_voters(connection(broker), voting, settings.max_in_flight, ports.metrics.rpc)
    bound = max(DRAIN_SECONDS, 2 * settings.publish_timeout)
    for subscription in voters:
        stack.push_async_callback(drained, subscription.drain, bound)  # in-flight casts finish first
    await start_broker(broker)
    return VotingState(broker, follower)


async def drained(drain: Callable[[], Awaitable[None]], seconds: float) -> None:
    """A subscription's drain, bounded: nats-py waits until every queued message is marked done, and a queue whose
    worker stopped is never done, which held a stopping process (still answering health checks) for good."""
    try:
        await asyncio.wait_for(drain(), seconds)
    except TimeoutError:
        log.warning("casts still queued %.0f s after the stop began: stopping without them", seconds)


async def readiness(state: VotingState) -> dict[str, bool]:
    return {"nats": nats_connected(state.broker), "catalog": state.follower.caught_up}
