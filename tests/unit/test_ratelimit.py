"""Token buckets with a hand-driven clock."""

import pytest
from prometheus_client import CollectorRegistry

from veche_gateway.context import begin
from veche_gateway.metrics import GatewayMetrics
from veche_gateway.middleware.rate_limits import RateLimits, is_sign_in
from veche_gateway.middleware.token_buckets import TokenBuckets
from veche_gateway.settings import Bucket


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


def test_sign_in_steps_have_a_limit_of_their_own() -> None:
    """Issue 26: /admin/sign-in and the OpenID callbacks had no limit, and each writes to a shared bucket."""
    assert all(is_sign_in(p) for p in ("/admin/sign-in", "/admin/sign-in/callback", "/api/v1/sign-in/callback"))
    assert is_sign_in("/api/v1/contests/c1/sign-in")
    assert not is_sign_in("/api/v1/contests/c1/identity")
    buckets = {name: TokenBuckets(Bucket(burst=100, per_second=100)) for name in ("reads", "writes", "voters")}
    buckets["sign_ins"] = TokenBuckets(Bucket(burst=2, per_second=0.01))
    limits = RateLimits(lambda *_: None, buckets, GatewayMetrics(CollectorRegistry()))  # type: ignore[arg-type]

    def scope(path: str, ip: str = "198.51.100.1") -> dict[str, object]:
        made: dict[str, object] = {"type": "http", "method": "GET", "path": path, "headers": []}
        begin(made, "r1", ip, ip)  # as middleware/request_context.py does first
        return made

    assert limits.refusal(scope("/admin/sign-in")) is None
    assert limits.refusal(scope("/api/v1/sign-in/callback")) is None
    refused = limits.refusal(scope("/admin/sign-in/callback"))
    assert refused is not None
    assert refused.status_code == 429
    assert limits.refusal(scope("/admin/sign-in", ip="198.51.100.2")) is None
