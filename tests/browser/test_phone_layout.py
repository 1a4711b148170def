"""Where a contest page starts on a phone (390 x 844) and a desktop (1440 x 900): on the phone the practices come
first (the first card's Vote button on the first screen) and the map is folded behind "Show the map", which fetches
its libraries and outlines and draws it when opened; on the desktop the map is simply there. axe in both states."""

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.live_helpers import open_contest
from veche_dev import devstack


def test_on_a_phone_the_practices_come_first_and_the_map_folds(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"fold-{uid}"
    open_contest(admin, contest, identity_mode="device", nominations=4)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    page = phone.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{platform.url()}/en/contests/{contest}")
    expect(page.locator("#cards .vote").first).to_be_in_viewport()
    expect(page.locator("#cards .vote").first).to_be_enabled()  # the script has taken the cards over
    toggle = page.get_by_role("button", name="Show the map")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#map-figure")).to_be_hidden()
    expect(page.locator("#map circle")).to_have_count(0)  # a folded map is not drawn
    page.wait_for_load_state("networkidle")
    assert [url for url in fetched if "/vendor/geo/" in url] == [], "a folded map fetches nothing"
    assert_accessible(page)
    toggle.click()
    expect(page.get_by_role("button", name="Hide the map")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#map circle")).to_have_count(1)
    libraries = {url.rsplit("/", 1)[1] for url in fetched if "/vendor/geo/" in url}
    assert {"d3-geo.min.js", "topojson-client.min.js", "countries.json"} <= libraries
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.get_by_role("button", name="RU").click()
    expect(page.get_by_role("button", name="Скрыть карту")).to_be_visible()
    phone.close()

    desktop = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-GB")
    desktop.goto(f"{platform.url()}/en/contests/{contest}")
    expect(desktop.locator("#map circle")).to_have_count(1)
    expect(desktop.locator("#map-toggle")).to_be_hidden()
    expect(desktop.locator("#cards .vote").first).to_be_in_viewport()
    desktop.close()
