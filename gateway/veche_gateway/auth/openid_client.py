"""The gateway's OpenID client, opened in its lifespan: one HTTP client and the providers' cached metadata and keys."""

from contextlib import AsyncExitStack
from dataclasses import dataclass

import httpx

from veche_gateway.settings import GatewaySettings
from veche_shared import oidc


@dataclass(frozen=True)
class OidcClient:
    http: httpx.AsyncClient
    providers: oidc.Providers


async def oidc_client(stack: AsyncExitStack, settings: GatewaySettings) -> OidcClient:
    """One HTTP client for discovery, keys and code exchange with the contests' OpenID providers."""
    http = await stack.enter_async_context(httpx.AsyncClient(follow_redirects=False))
    return OidcClient(http, oidc.Providers(http, refetch_interval=settings.jwks_refetch_seconds))
