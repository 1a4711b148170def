"""A service's health over NATS, for the gateway's /ops page: svc.<service>.health.status is answered by one
instance of the queue group; svc.<service>.health.instances by every instance, so /ops lists each replica."""

import math
import os
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from fastapi import FastAPI
from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.errors import TimeoutError as NatsTimeout
from prometheus_client import CollectorRegistry
from pydantic import ValidationError

from veche_shared import subjects
from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import ServiceStatus
from veche_shared.operations.health import status_of
from veche_shared.rpc import serve
from veche_shared.web import ReadinessCheck, ops_router


def instance_id(service: str) -> str:
    """<service>-<host>-<pid>: unique among running replicas, and an operator can find the process from it."""
    return f"{service}-{socket.gethostname()}-{os.getpid()}"


def serve_status(
    broker: NatsBroker, service: str, readiness: ReadinessCheck, partitions: list[int] | None = None
) -> None:
    """Answer svc.<service>.health.status (in the queue group) and .health.instances (every instance) with the
    same checks as /readyz."""
    started = time.monotonic()
    instance = instance_id(service)

    async def status(_: Empty) -> ServiceStatus:
        checks = await readiness()
        uptime = time.monotonic() - started
        ready = all(checks.values())
        return ServiceStatus(
            service=service, ready=ready, checks=checks, uptime_seconds=uptime, instance=instance, partitions=partitions
        )

    async def each_instance() -> bytes:
        return (await status(Empty())).model_dump_json().encode()

    serve(broker, status_of(service), status)
    each_instance.__name__ = f"{service}_health_instances"
    broker.subscriber(subjects.health_instances(service))(each_instance)  # no queue: every replica answers


async def gather_instances(
    nc: Client, service: str, deadline: float, expected: Collection[str] = ()
) -> list[ServiceStatus]:
    """Every instance of service that answers within deadline seconds, ordered by instance id. The count of
    replicas is not known: done early only once every instance id in expected has answered."""
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox)
    found: list[ServiceStatus] = []
    waiting = set(expected)
    try:
        await nc.publish(subjects.health_instances(service), b"{}", reply=inbox)
        end = time.monotonic() + deadline
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await sub.next_msg(timeout=left)
            except NatsTimeout:
                break
            try:
                found.append(ServiceStatus.model_validate_json(msg.data))
            except ValidationError:
                continue  # not a status (a stray publish on the inbox): skip it, the others still count
            waiting.discard(found[-1].instance or "")
            if expected and not waiting:
                break
    finally:
        await sub.unsubscribe()
    return sorted(found, key=lambda s: s.instance or "")


@dataclass
class Roster:
    """The instances of each service that answered the last full round, so that the next round ends as soon as they
    have all answered again instead of waiting the whole deadline. A round in which one of them does not answer
    waits the deadline and becomes the new roster; so does one at least every `recheck` seconds, which lists a
    replica started since (until then it is listed only if it answers before the known ones)."""

    recheck: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _rounds: dict[str, tuple[frozenset[str], float]] = field(default_factory=dict)

    def expected(self, service: str) -> frozenset[str]:
        """The instances a round may wait for alone (none: wait the whole deadline)."""
        known, at = self._rounds.get(service, (frozenset(), -math.inf))
        return known if self.clock() - at < self.recheck else frozenset()

    def answered(self, service: str, expected: frozenset[str], found: list[ServiceStatus]) -> None:
        """Record a round: a full one (nothing expected, or one expected instance silent) is the new roster."""
        names = frozenset(s.instance or "" for s in found)
        if not expected or not expected <= names:
            self._rounds[service] = (names, self.clock())

    async def gather(self, nc: Client, service: str, deadline: float) -> list[ServiceStatus]:
        expected = self.expected(service)
        found = await gather_instances(nc, service, deadline, expected)
        self.answered(service, expected, found)
        return found


def install_health(
    app: FastAPI,
    broker: NatsBroker,
    service: str,
    readiness: ReadinessCheck,
    registry: CollectorRegistry,
    partitions: list[int] | None = None,
) -> None:
    """/healthz, /readyz and /metrics over HTTP, and the same readiness over NATS (see the module's docstring)."""
    app.include_router(ops_router(readiness, registry))
    serve_status(broker, service, readiness, partitions)
