from collections.abc import Iterator

import httpx
import pytest

from tests.live_helpers import SHARED, admin_client
from veche_dev import devstack

ADMIN_KEY = "e2e-admin-key-not-a-secret"
OBSERVER_KEY = "e2e-observer-key-not-a-secret"


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> devstack.Platform:
    """Every service as a real process, one platform for the folder's modules; X-Forwarded-For trusted so a test
    can choose the address it looks for."""
    trusted = {"VECHE_GATEWAY_TRUSTED_PROXIES": '["127.0.0.1"]'}
    return SHARED.use(infra, "e2e", ADMIN_KEY, OBSERVER_KEY, **trusted)


@pytest.fixture
def api(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.url(), timeout=15) as client:
        yield client


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as client:
        yield client
