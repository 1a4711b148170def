"""One platform for the console's browser tests (an admin, a moderator and an observer key, and organisers'
OpenID sign-in with a real provider), shared by the folder's modules (tests/live_helpers.py SharedPlatform)."""

import json
from collections.abc import Iterator

import pytest

from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.live_helpers import SHARED
from tests.oidc_provider import CLIENT_SECRET, Provider, client, running_provider, signing_key
from veche_dev import devstack
from veche_dev.devkeys import operator_keys_env

MODERATOR_KEY = "browser-moderator-key-not-a-secret"
SESSION_KEY = "console-session-key-for-tests-0123456789abcdef"
ROLES = {"veche-admins": "admin", "veche-moderators": "moderator"}
ACCOUNTS = {"ada": {"groups": ["staff", "veche-moderators", "veche-admins"]}, "guest": {"groups": ["staff"]}}


@pytest.fixture(scope="package")
def provider_port() -> int:
    return devstack.free_port()


@pytest.fixture(scope="module")
def platform(infra: dict[str, str], provider_port: int) -> devstack.Platform:
    keys = [("ada", "admin", ADMIN_KEY), ("mona", "moderator", MODERATOR_KEY), ("olga", "observer", OBSERVER_KEY)]
    console = {"issuer": f"http://127.0.0.1:{provider_port}", "client_id": "veche-console",
               "client_secret_ref": "staff", "scopes": ["openid", "groups"], "roles": ROLES}  # fmt: skip
    env = operator_keys_env(keys) | {
        "VECHE_GATEWAY_CONSOLE_OIDC": json.dumps(console),
        "VECHE_GATEWAY_CONSOLE_SESSION_KEY": SESSION_KEY,
        "VECHE_GATEWAY_OIDC_CLIENT_SECRETS": json.dumps({"staff": CLIENT_SECRET}),
        "VECHE_GATEWAY_RATE_SIGN_IN__BURST": "1000",  # every sign-in of these tests comes from one address
        "VECHE_GATEWAY_RATE_SIGN_IN__PER_SECOND": "1000",
    }
    return SHARED.use(infra, "console", ADMIN_KEY, **env)


@pytest.fixture(scope="module")
def provider(platform: devstack.Platform, provider_port: int) -> Iterator[Provider]:
    """The organisers' OpenID provider; its accounts carry a `groups` claim."""
    clients = [client("veche-console", platform.url() + "/admin/sign-in/callback")]
    keys = [signing_key("console")]
    with running_provider(platform.log_dir, clients, keys, port=provider_port, accounts=ACCOUNTS) as started:
        yield started
