from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from veche_shared import devstack
from veche_shared.devkeys import operator_keys_env

ADMIN_KEY = "e2e-admin-key-not-a-secret"


@pytest.fixture(scope="module")
def platform(infra: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[devstack.Platform]:
    """Every service as a real process, with databases and consumer names of its own."""
    run = tmp_path_factory.mktemp("platform").name.replace("platform", "").strip("_-") or "0"
    platform = devstack.Platform(infra["nats_url"], infra["mongodb_url"], Path(infra["logs"]))
    platform.extra_env = operator_keys_env([("e2e-admin", "admin", ADMIN_KEY)]) | {
        "VECHE_SUBMISSIONS_DATABASE": f"submissions_e2e{run}",
        "VECHE_RESULTS_DATABASE": f"results_e2e{run}",
        "VECHE_RESULTS_CONSUMER": f"results-e2e{run}",
        "VECHE_GATEWAY_TRUST_FORWARDED_FOR": "true",  # lets a test choose the client address it looks for in logs
    }
    platform.start_all()
    yield platform
    platform.stop_all()


@pytest.fixture
def api(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.url(), timeout=15) as client:
        yield client


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{platform.url()}/api/v1/admin", timeout=15, headers={"X-API-Key": ADMIN_KEY}) as c:
        yield c
