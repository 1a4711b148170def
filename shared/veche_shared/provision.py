"""What `veche provision` declares with the provisioning identity: streams, key-value buckets, durable consumers.

The runtime identities may create none of these (docs/adr/0014-provisioned-bus.md): a consumer with a deliver subject
or a stream's RePublish makes nats-server publish stored messages anywhere without its creator's publish permission,
and a stream update can truncate it. So one separate identity makes them, before the services start.
"""

import logging
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, KeyValueConfig, StorageType
from nats.js.errors import BadRequestError

from veche_shared import subjects
from veche_shared.bus import declare_streams

log = logging.getLogger("veche.provision")
LIMITS_MAX_BYTES = 256 * 1024 * 1024  # the gateway's counters and used-once markers: bounded, never unbounded
LEASES_MAX_BYTES = 16 * 1024 * 1024  # one small key per catalog document being written


@dataclass(frozen=True)
class Provision:
    """What to declare: stream replicas, the buckets' lifetimes and the results projector's durable consumers."""

    replicas: int = 1
    limits_window_seconds: int = 3600  # the gateway's device_issue_window_seconds
    lease_seconds: float = 10.0  # the submissions service's writer_lease_seconds
    consumers: list[ConsumerConfig] = field(default_factory=list)


def bucket_configs(plan: Provision) -> list[KeyValueConfig]:
    return [
        KeyValueConfig(
            bucket=subjects.GATEWAY_LIMITS_BUCKET,
            history=1,
            ttl=plan.limits_window_seconds,
            replicas=plan.replicas,
            max_bytes=LIMITS_MAX_BYTES,
        ),
        KeyValueConfig(
            bucket=subjects.WRITER_LEASES_BUCKET,
            ttl=plan.lease_seconds,
            storage=StorageType.MEMORY,  # a lease outlives no restart of the whole cluster, nor needs to
            replicas=plan.replicas,
            max_bytes=LEASES_MAX_BYTES,
        ),
    ]


async def provision(js: JetStreamContext, plan: Provision) -> None:
    """Declare everything (again: each step keeps what exists, brought up to date where nats-server allows)."""
    await declare_streams(js, plan.replicas)
    for bucket in bucket_configs(plan):
        try:
            await js.create_key_value(config=bucket)
        except BadRequestError:  # exists with other settings: counting works, its TTL stays
            log.warning("the bucket %s exists with other settings; keeping them", bucket.bucket)
    for consumer in plan.consumers:
        await js.add_consumer(subjects.VOTES_STREAM, consumer)
