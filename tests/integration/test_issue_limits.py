"""Device-token limits and used challenges in the real key-value bucket (provisioned as `veche provision` does)."""

import dataclasses
import secrets
import time
from typing import Any

from nats.aio.client import Client

from veche_gateway.auth.issue_limits import IssueLimits, IssueRules, open_bucket


async def limits(nc: Client, **rules: Any) -> IssueLimits:
    given = dataclasses.replace(
        IssueRules(window_seconds=3600, per_address=100, per_network=100, per_site=100), **rules
    )
    return IssueLimits(await open_bucket(nc.jetstream()), given, secrets.token_bytes(32), time.time)


def random_site() -> str:
    """A /48 of the documentation prefix 2001:db8::/32 no other test uses."""
    return f"2001:db8:{secrets.randbelow(0xFFFF):x}"


async def test_many_networks_of_one_ipv6_site_share_its_limit(nc: Client) -> None:
    """Issue 26: the limits stopped at the /64, so a /48 holder had 65,536 fresh networks."""
    issue = await limits(nc, per_site=3)
    site = random_site()
    spent = [await issue.take(f"{site}:{n:x}::1") for n in range(4)]  # four /64s of one /48
    assert spent == [None, None, None, "site"]
    assert await issue.take(f"{random_site()}:1::1") is None, "another site has its own limit"


async def test_a_solved_challenge_keeps_the_first_token_recorded_for_it(nc: Client) -> None:
    """Two replicas (or a retry after a fault) recording a token for one challenge: the first stays, both get it."""
    issue = await limits(nc)
    nonce = secrets.token_hex(16)
    assert await issue.issued(nonce) is None
    assert await issue.remember(nonce, b'{"token": "first"}') == b'{"token": "first"}'
    assert await issue.remember(nonce, b'{"token": "second"}') == b'{"token": "first"}'
    assert await issue.issued(nonce) == b'{"token": "first"}'
