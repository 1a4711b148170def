"""Headless Debian Chromium driven by Playwright, the platform, and a page on another origin."""

import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.live_helpers import SHARED, admin_client
from veche_dev import devstack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
ADMIN_KEY = "browser-admin-key-not-a-secret"
OBSERVER_KEY = "browser-observer-key-not-a-secret"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")  # Playwright's sync API holds an event loop: release it with the module
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (apt-get install -y chromium)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def docs_img(artifacts: Path) -> Path:
    """Where the public page's documentation images go: docs/img/ under `make screenshots`
    (VECHE_DOCS_IMG), else the test artifacts, so that `make test` leaves tracked files alone."""
    folder = os.environ.get("VECHE_DOCS_IMG")
    return Path(folder) if folder else artifacts


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> devstack.Platform:
    """One platform for the folder's modules (tests/live_helpers.py SharedPlatform)."""
    developer_field = {"VECHE_GATEWAY_VOTER_TOKEN_FIELD": "true"}  # the tests paste voter JWTs on the page
    return SHARED.use(infra, "browser", ADMIN_KEY, OBSERVER_KEY, **developer_field)


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as client:
        yield client


class ThirdParty:
    """A news site on another origin (localhost:<port>, not the gateway's 127.0.0.1:<port>)."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def third_party() -> Iterator[ThirdParty]:
    site = ThirdParty()
    yield site
    site.server.shutdown()
    site.server.server_close()
