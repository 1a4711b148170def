"""B2: a minimal nats-py pull consumer that fetches and acknowledges stream VOTES, doing nothing else.

python -m bench.baselines.b2_consumer NATS_URL CONSUMER LAST_SEQ BATCH   (prints the seconds it took)
"""

import asyncio
import sys
import time

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy


async def drain(url: str, consumer: str, last_seq: int, batch: int) -> float:
    started = time.perf_counter()
    nc = await nats.connect(url)
    js = nc.jetstream()
    config = ConsumerConfig(
        durable_name=consumer, ack_policy=AckPolicy.ALL, deliver_policy=DeliverPolicy.ALL, max_ack_pending=batch * 4
    )
    await js.add_consumer("VOTES", config)
    sub = await js.pull_subscribe_bind(durable=consumer, stream="VOTES")
    seen = 0
    while seen < last_seq:
        msgs = await sub.fetch(batch, timeout=5)
        await msgs[-1].ack_sync()  # AckAll, as the results projector does
        seen = msgs[-1].metadata.sequence.stream
    elapsed = time.perf_counter() - started
    await js.delete_consumer("VOTES", consumer)
    await nc.close()
    return elapsed


if __name__ == "__main__":
    url, consumer, last, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print(asyncio.run(drain(url, consumer, last, size)))
