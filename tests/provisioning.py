"""The test suite provisions the bus as `veche provision` does, as the harness (docs/adr/0014-provisioned-bus.md)."""

import nats

from veche_results.partitions import consumer_configs
from veche_results.settings import ResultsSettings
from veche_shared.bus import stream_configs
from veche_shared.provision import Provision, provision


async def provision_bus(harness_url: str, results: ResultsSettings | None = None, replicas: int = 1) -> None:
    """Streams and buckets, and the durable consumers of `results` (a results service about to start)."""
    consumers = consumer_configs(results.consumer, results.partitions, results.batch_size) if results else []
    client = await nats.connect(harness_url)
    try:
        await provision(client.jetstream(), Provision(replicas=replicas, consumers=consumers))
    finally:
        await client.close()


async def fresh_bus(harness_url: str) -> None:
    """New, empty streams (with no consumers), as on a fresh install: stream names are fixed, so the old ones go."""
    client = await nats.connect(harness_url)
    try:
        js = client.jetstream()
        for config in stream_configs(replicas=1):
            await js.delete_stream(config.name or "")  # with its consumers
    finally:
        await client.close()
    await provision_bus(harness_url)
