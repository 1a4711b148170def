"""A real OpenID Connect provider for the tests: panva/oidc-provider (tests/oidc/provider.mjs) run by node on a
free loopback port, and a voter's walk through its development login and consent pages."""

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from veche_dev import devstack

HERE = Path(__file__).parent / "oidc"
CLIENT_SECRET = "test-client-secret-not-a-secret"  # noqa: S105 - a test provider's client


@dataclass
class Provider:
    issuer: str
    process: devstack.Process


def signing_key(kid: str) -> dict[str, Any]:
    """A fresh RSA private key as a JWK (the provider signs ID tokens with the first of its keys)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(private))
    return jwk | {"kid": kid, "use": "sig", "alg": "RS256"}


def client(client_id: str, redirect_uri: str) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [redirect_uri],
        "response_types": ["code"],
        "grant_types": ["authorization_code"],
        "token_endpoint_auth_method": "client_secret_basic",
    }


@contextlib.contextmanager
def running_provider(
    log_dir: Path,
    clients: list[dict[str, Any]],
    keys: list[dict[str, Any]],
    *,
    port: int | None = None,
    id_token_ttl: int = 600,
    accounts: dict[str, dict[str, Any]] | None = None,
) -> Iterator[Provider]:
    if not (HERE / "node_modules" / "oidc-provider").exists() or not shutil.which("node"):
        pytest.fail(
            "the test OpenID provider is missing: run `make oidc-provider` (npm ci in tests/oidc)", pytrace=False
        )
    port = port or devstack.free_port()
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps(clients),
        "OIDC_KEYS": json.dumps(keys),
        "OIDC_ID_TOKEN_TTL": str(id_token_ttl),
        "OIDC_ACCOUNTS": json.dumps(accounts or {}),
    }
    process = devstack.spawn(f"oidc-{port}", ["node", str(HERE / "provider.mjs")], log_dir, env)
    try:
        devstack.wait_ready(f"http://127.0.0.1:{port}/.well-known/openid-configuration", process)
        yield Provider(f"http://127.0.0.1:{port}", process)
    finally:
        process.stop()


def sign_in(browser: httpx.Client, start: str, login: str) -> httpx.Response:
    """A whole sign-in: the gateway callback's answer (its redirect to the public page), not followed."""
    return browser.get(code_redirect(browser, start, login))


def fragment(answer: httpx.Response) -> dict[str, str]:
    """The parameters the callback put into the public page's URL fragment."""
    assert answer.status_code == 303, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).fragment).items()}


def code_redirect(browser: httpx.Client, start: str, login: str) -> str:
    """Follow a sign-in from its start URL through the provider's login and consent forms, as a browser would,
    up to the provider's redirect to the gateway's callback: its URL (with the code and the state)."""
    answer = browser.get(start)
    for _ in range(20):
        location = answer.headers.get("location")
        if answer.status_code in (302, 303) and location:
            target: str = urljoin(str(answer.url), location)
            if urlsplit(target).path.endswith("/sign-in/callback"):
                return target
            answer = browser.get(target)
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', answer.text)
        prompt = re.search(r'name="prompt" value="(\w+)"', answer.text)
        assert form, f"no form on the provider's page ({answer.status_code}): {answer.text[:300]}"
        assert prompt, f"unexpected provider page ({answer.status_code}): {answer.text[:300]}"
        fields = {"prompt": prompt.group(1)} | (
            {"login": login, "password": "any"} if prompt.group(1) == "login" else {}
        )
        answer = browser.post(urljoin(str(answer.url), form.group(1)), data=fields)
    raise AssertionError("the sign-in did not come back to the gateway")
