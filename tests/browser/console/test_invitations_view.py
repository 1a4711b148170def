"""The console's Invitations view in headless Chromium: an admin issues a municipality's invitation, reads its key
once, and revokes it; the key then admits nobody (the representatives' page itself: test_municipality_page.py)."""

from typing import Any

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY
from tests.browser.console.console_helpers import sign_in
from tests.live_helpers import ok
from veche_dev import devstack


def test_admin_issues_an_invitation_sees_the_key_once_and_revokes_it(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    city: dict[str, Any] = {
        "id": f"kazan-{uid}",
        "name": {"en": f"Kazan {uid}", "ru": f"Казань {uid}"},  # unique in a country: one per test
        "country": "RU",
        "lat": 55.8,
        "lon": 49.1,
    }
    ok(admin.post("/municipalities", json=city))
    page, violations = sign_in(browser, platform, ADMIN_KEY)
    page.get_by_role("link", name="Invitations", exact=True).click()
    page.get_by_label("Municipality", exact=True).fill("Kaza")
    expect(page.locator(f'datalist option[value="{city["id"]}"]')).to_have_count(1)  # found by its name
    page.get_by_label("Municipality", exact=True).fill(city["id"])
    page.get_by_label("Valid for (days)").fill("7")
    page.get_by_role("button", name="Issue invitation").click()
    key_field = page.get_by_label("Invitation key (shown this once)")
    expect(key_field).to_be_focused()
    key = key_field.input_value()
    assert key.startswith("vmk_")
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        representative = {"X-API-Key": key}
        assert api.get("/api/v1/municipality", headers=representative).json()["municipality"]["id"] == city["id"]
        row = page.locator("#invitation-table tbody tr")
        expect(row).to_have_count(1)
        expect(row.locator(".state")).to_have_text("active")
        assert_accessible(page)
        row.get_by_role("button", name="Revoke").click()
        page.locator("#dialog-confirm").click()
        expect(row.locator(".state")).to_have_text("revoked")
        assert api.get("/api/v1/municipality", headers=representative).json()["code"] == "invitation_revoked"
    page.reload()  # the key is gone from the page: shown once
    assert key not in page.content()
    assert violations == []
    page.close()
