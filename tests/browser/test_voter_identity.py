"""The public page's identity box in headless Chromium: a device ballot after the ALTCHA check (solved by the
widget's own worker), and the whole OpenID Connect sign-in at a real provider, then a ballot and a refused second."""

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.watch import csp_violations
from tests.live_helpers import admin_client, open_contest, running_platform
from tests.oidc_provider import CLIENT_SECRET, Provider, client, running_provider, signing_key
from veche_dev import devstack

ADMIN_KEY = "browser-identity-admin-key-not-a-secret"
CLIENT_ID = "veche-city"


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    secrets = {"VECHE_GATEWAY_OIDC_CLIENT_SECRETS": json.dumps({"city": CLIENT_SECRET})}
    with running_platform(infra, "identity", ADMIN_KEY, **secrets) as started:
        yield started


@pytest.fixture(scope="module")
def provider(platform: devstack.Platform) -> Iterator[Provider]:
    clients = [client(CLIENT_ID, platform.url() + "/api/v1/sign-in/callback")]
    with running_provider(platform.log_dir, clients, [signing_key("page")]) as started:
        yield started


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as c:
        yield c


def cpu_seconds(browser: Browser) -> float:
    """CPU time of every Chromium process so far (the renderer runs the page and its workers)."""
    session = browser.new_browser_cdp_session()
    try:
        processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    return float(sum(p["cpuTime"] for p in processes))


def sign_in_at_provider(page: Page, provider: Provider) -> None:
    """Sign in to vote: the provider's login and consent, as a new voter."""
    page.get_by_role("link", name="Sign in to vote").click()
    page.wait_for_url(re.compile(re.escape(provider.issuer) + "/interaction/"))
    page.locator("input[name=login]").fill(f"voter-{uuid.uuid4().hex[:8]}")
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_device_ballot_after_the_check(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, artifacts: Path
) -> None:
    contest = f"poll-{uid}"
    open_contest(admin, contest, identity_mode="device")  # the default difficulty, as voters meet it
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    expect(page.locator("#identity-text")).to_contain_text("anonymous poll")
    expect(page.locator("#token-form")).to_be_hidden()
    expect(page.locator("#sign-in")).to_be_hidden()
    before = cpu_seconds(browser)
    page.get_by_role("button", name=re.compile(r"^Vote for “Practice 0”")).click()
    expect(page.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_visible(timeout=60_000)
    spent = cpu_seconds(browser) - before
    expect(page.locator("#identity-text")).to_have_text("This browser has a device identity for this poll.")
    expect(page.locator("#ballot-text")).to_have_text("You voted for “Practice 0”.")
    expect(page.get_by_role("button", name="✓ Your vote: “Practice 0”")).to_have_attribute("aria-disabled", "true")
    page.screenshot(path=str(artifacts / "public-page-device-vote.png"), full_page=True)
    (artifacts / "device-check-cpu.json").write_text(json.dumps({"cpu_seconds": round(spent, 3)}))
    assert violations == []
    context.close()


def test_sign_in_with_openid_connect_and_vote(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, provider: Provider, uid: str, artifacts: Path
) -> None:
    contest = f"city-{uid}"
    oidc = {"issuer": provider.issuer, "client_id": CLIENT_ID, "client_secret_ref": "city"}
    open_contest(admin, contest, oidc=oidc)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    expect(page.locator("#token-form")).to_be_hidden()
    sign_in_at_provider(page, provider)
    page.wait_for_url(re.compile(re.escape(platform.url()) + rf"/en/contests/{contest}/nominations/n0$"))
    expect(page.locator("#signed-in-text")).to_contain_text("You are signed in")
    assert "id_token" not in page.url, "the token leaves the address bar"
    expect(page.locator("#sign-in")).to_be_hidden()
    page.get_by_role("button", name=re.compile(r"^Vote for “Practice 0”")).click()
    expect(page.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_in_viewport()
    expect(page.locator("#ballot-text")).to_have_text("You voted for “Practice 0”.")
    expect(page.get_by_role("button", name="✓ Your vote: “Practice 0”")).to_have_attribute("aria-disabled", "true")
    page.screenshot(path=str(artifacts / "public-page-signed-in.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in to vote")).to_be_visible()
    assert violations == []
    context.close()


def test_a_sign_in_from_a_practice_page_comes_back_there_to_vote(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, provider: Provider, uid: str
) -> None:
    contest = f"back-{uid}"
    oidc = {"issuer": provider.issuer, "client_id": CLIENT_ID, "client_secret_ref": "city"}
    [practice] = open_contest(admin, contest, oidc=oidc)
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    violations = csp_violations(page)
    here = f"/en/contests/{contest}/nominations/n0/practices/{practice}"
    page.goto(platform.url() + here)
    sign_in_at_provider(page, provider)
    page.wait_for_url(re.compile(re.escape(platform.url() + here) + "$"))  # the practice's page, token taken
    expect(page.locator("#signed-in-text")).to_contain_text("You are signed in")
    page.get_by_role("button", name="Vote for this practice").click()
    expect(page.locator("#vote-box .vote")).to_have_text("✓ Your vote")
    assert violations == []
    context.close()
