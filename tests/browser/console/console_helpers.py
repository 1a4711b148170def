"""The organisers' console in a browser: signing in with a key, and practices waiting for moderation."""

import httpx
from playwright.sync_api import Browser, Page

from tests.browser.watch import csp_violations
from tests.live_helpers import ok
from veche_dev import devstack


def sign_in(browser: Browser, platform: devstack.Platform, key: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    violations = csp_violations(page)
    answer = page.goto(f"{platform.url()}/admin")
    assert answer is not None
    assert "script-src 'self';" in answer.headers["content-security-policy"]
    page.get_by_label("Operator key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    return page, violations


def submit_pending(admin: httpx.Client, contest: str, nomination: str, uid: str, count: int) -> list[str]:
    practices = []
    for number in range(count):
        town = {"id": f"town{number}-{uid}", "name": {"en": f"Town {number} {uid}"}, "country": "RU"}
        ok(admin.post("/municipalities", json=town | {"lat": 57.6, "lon": 39.9}))
        body = {
            "id": f"p{number}-{uid}",
            "nomination": nomination,
            "municipality": town["id"],
            "title": f"Park {number}",
            "description": {"en": "Trees by the river."},
            "links": ["https://city.example/park"],
        }
        practices.append(ok(admin.post(f"/contests/{contest}/practices", json=body))["id"])
    return practices
