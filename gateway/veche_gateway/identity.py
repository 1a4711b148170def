"""The gateway's voter-identity parts, opened in its lifespan: shared issue limits and the OpenID client."""

from contextlib import AsyncExitStack
from dataclasses import dataclass

import httpx
from nats.js import JetStreamContext

from veche_gateway.issue_limits import IssueLimits, IssueRules, open_bucket
from veche_gateway.settings import GatewaySettings
from veche_shared import oidc


async def issue_limits(js: JetStreamContext, settings: GatewaySettings) -> IssueLimits:
    rules = IssueRules(
        window_seconds=settings.device_issue_window_seconds,
        per_address=settings.device_issue_per_address,
        per_network=settings.device_issue_per_network,
        exempt=tuple(settings.device_issue_exempt),
    )
    kv = await open_bucket(js, rules, settings.stream_replicas)
    return IssueLimits(kv, rules, settings.device_token_key.get_secret_value().encode())


@dataclass(frozen=True)
class OidcClient:
    http: httpx.AsyncClient
    providers: oidc.Providers


async def oidc_client(stack: AsyncExitStack, settings: GatewaySettings) -> OidcClient:
    """One HTTP client for discovery, keys and code exchange with the contests' OpenID providers."""
    http = await stack.enter_async_context(httpx.AsyncClient(follow_redirects=False))
    return OidcClient(http, oidc.Providers(http, refetch_interval=settings.jwks_refetch_seconds))
