"""Organisers sign in to /admin with a REAL OpenID provider (panva/oidc-provider run by node): the role comes from
the `groups` claim, the console gets a session the admin API takes like a key, an account without a mapped group
gets no session, and a forged or expired session is refused."""

import time

import httpx
import jwt
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.console.conftest import SESSION_KEY
from tests.oidc_provider import Provider, code_redirect
from veche_dev import devstack


def callback_target(platform: devstack.Platform, login: str) -> tuple[str, str]:
    """Where the gateway's callback sends the browser after `login` signed in at the provider, and the landing
    cookie it sets with it (the page takes the fragment only when the two agree)."""
    with httpx.Client(base_url=platform.url(), timeout=15) as browser:
        answer = browser.get(code_redirect(browser, "/admin/sign-in", login))
        assert answer.status_code == 303, answer.text
        assert "veche_sign_in" not in browser.cookies  # the flow's cookie is gone
        return answer.headers["location"], browser.cookies["veche_landing"]


def landing_page(browser: Browser, platform: devstack.Platform, landing: str | None) -> Page:
    """A fresh load of the console as the callback's redirect makes it (with its landing cookie), or as a link."""
    context = browser.new_context(locale="en-GB")
    if landing is not None:
        context.add_cookies([{"name": "veche_landing", "value": landing, "url": platform.url()}])
    return context.new_page()


def test_an_organiser_signs_in_with_the_provider_and_gets_the_role_of_the_claim(
    browser: Browser, platform: devstack.Platform, provider: Provider, uid: str
) -> None:
    page = browser.new_page(locale="en-GB")
    page.goto(f"{platform.url()}/admin")
    link = page.get_by_role("link", name="Sign in with the organiser's account")
    expect(link).to_have_attribute("href", "/admin/sign-in")
    assert_accessible(page)
    page.close()
    target, landing = callback_target(platform, "ada")
    assert target.startswith("/admin#session=")
    page = landing_page(browser, platform, landing)  # as the callback's redirect: a fresh load of the console
    page.goto(platform.url() + target)
    expect(page.locator("#who")).to_have_text("oidc.ada · admin")  # the highest of the mapped groups
    expect(page.get_by_role("button", name="Create contest")).to_be_visible()
    assert "session" not in page.url  # taken out of the address at once
    token = target.removeprefix("/admin#session=").split("&")[0]
    with httpx.Client(base_url=f"{platform.url()}/api/v1/admin", timeout=15, headers={"X-API-Key": token}) as api:
        assert api.post("/contests", json={"id": f"by-oidc-{uid}", "title": {"en": "T"}}).status_code == 201
        trail = api.get("/audit", params={"action": "create_contest"}).json()["entries"]
        assert ("oidc.ada", "admin") in {(e["operator"], e["role"]) for e in trail}
    page.close()


def test_no_mapped_group_no_session(browser: Browser, platform: devstack.Platform, provider: Provider) -> None:
    target, landing = callback_target(platform, "guest")
    assert target == f"/admin#sign_in_error=no_role&landing={landing}"
    page = landing_page(browser, platform, landing)
    page.goto(platform.url() + target)
    expect(page.locator("#message")).to_have_text("Your account has no role in this console.")
    expect(page.locator("#console")).to_be_hidden()
    page.close()


def test_forged_expired_and_replayed_sessions_are_refused(platform: devstack.Platform, provider: Provider) -> None:
    now = int(time.time())
    claims = {"typ": "console_session", "name": "oidc.mallory", "role": "admin", "iat": now, "exp": now + 600}
    forged = jwt.encode(claims, "another-key-of-at-least-32-bytes-long", algorithm="HS256")
    expired = jwt.encode(claims | {"exp": now - 1}, SESSION_KEY, algorithm="HS256")
    device = jwt.encode(claims | {"typ": "device"}, SESSION_KEY, algorithm="HS256")
    with httpx.Client(base_url=f"{platform.url()}/api/v1/admin", timeout=15) as api:
        for token in (forged, expired, device):
            assert api.get("/me", headers={"X-API-Key": token}).status_code == 401
    with httpx.Client(base_url=platform.url(), timeout=15) as browser:
        back = code_redirect(browser, "/admin/sign-in", "ada")
        assert browser.get(back).status_code == 303
        replayed = browser.get(back)
        assert replayed.status_code in (400, 409)  # the cookie is gone, and the state was used


def test_a_link_carrying_someone_elses_session_signs_nobody_in(
    browser: Browser, platform: devstack.Platform, provider: Provider
) -> None:
    """Issue 26: `/admin#session=<token>` sent as a link planted that session in the victim's tab."""
    target, landing = callback_target(platform, "ada")
    for cookie in (None, "a-guess"):  # no landing cookie of ours, or one that does not match the fragment
        page = landing_page(browser, platform, cookie)
        page.goto(platform.url() + target)
        expect(page.locator("#console")).to_be_hidden()
        assert "session" not in page.url  # taken out of the address all the same
        page.context.close()
    page = landing_page(browser, platform, landing)
    page.goto(platform.url() + target)
    expect(page.locator("#who")).to_have_text("oidc.ada · admin")
    page.context.close()
