"""Token buckets with a hand-driven clock."""

import pytest

from veche_gateway.middleware.token_buckets import TokenBuckets
from veche_gateway.settings import Bucket

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_wait_for_refill() -> None:
    clock = Clock()
    buckets = TokenBuckets(Bucket(burst=2, per_second=0.5), clock)
    assert buckets.take("a") == 0
    assert buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(2.0)
    assert buckets.take("b") == 0, "every key has a bucket of its own"
    clock.now += 2.0
    assert buckets.take("a") == 0
    assert buckets.take("a") > 0


def test_refill_never_exceeds_the_burst() -> None:
    clock = Clock()
    buckets = TokenBuckets(Bucket(burst=1, per_second=10), clock)
    buckets.take("a")
    clock.now += 3600
    assert buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(0.1)
