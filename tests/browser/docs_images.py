"""The console and municipality screenshots in docs/img/, taken from the running platform (free ports) with the
demo contest loaded as `make up` loads it. Run by `make screenshots`, not by `make test` (the name does not match
test_*.py: pytest collects it only when named)."""

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ADMIN_KEY
from tests.live_helpers import ok
from veche_dev import devstack
from veche_dev.demo_load import demo_data

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]  # a platform start and the demo load
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
SPRING = "spring-2027"  # a second contest, its practices waiting for moderation
PENDING = [
    ("yaroslavl", {"en": "Riverside for everyone", "ru": "Набережная для всех"}),
    ("veliky-novgorod", {"en": "Volunteer restorers", "ru": "Волонтёры-реставраторы"}),
    ("yakutsk", {"en": "Warm bus stops", "ru": "Тёплые остановки"}),
]


def load_demo(platform: devstack.Platform) -> None:
    demo = [sys.executable, "-m", "veche_dev.cli", "demo-load", "--nats", platform.nats_url]
    subprocess.run(demo, check=True, env=os.environ | platform.extra_env)


def spring_contest(admin: httpx.Client) -> None:
    title = {"en": "Best municipal practices 2027", "ru": "Лучшие муниципальные практики 2027"}
    ok(admin.post("/contests", json={"id": SPRING, "title": title}))
    nomination = demo_data()["nominations"][1]
    ok(admin.post(f"/contests/{SPRING}/nominations", json={"id": nomination["id"], "title": nomination["title"]}))
    ok(admin.post(f"/contests/{SPRING}/phase", json={"phase": "submissions_open"}))
    for city, practice in PENDING:
        body = {"id": f"{city}-2027", "nomination": nomination["id"], "municipality": city, "title": practice}
        ok(admin.post(f"/contests/{SPRING}/practices", json=body))


def console(page: Page, url: str, contest: str, view: str) -> None:
    page.goto(f"{url}/admin#/{view}")
    page.get_by_label("Operator key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Contest", exact=True).select_option(contest)
    page.wait_for_load_state("networkidle")


def test_take_docs_images(browser: Browser, platform: devstack.Platform, admin: httpx.Client) -> None:
    load_demo(platform)
    spring_contest(admin)
    url = platform.url()
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="en-GB")
    console(page, url, SPRING, "moderation")
    expect(page.locator("#queue [data-status=pending]")).to_have_count(len(PENDING))
    page.screenshot(path=str(DOCS_IMG / "console-moderation.png"), full_page=True)

    page.get_by_label("Contest", exact=True).select_option("forum-2018")
    page.get_by_role("link", name="Settings and phase").click()
    page.get_by_role("button", name="Close voting").click()
    expect(page.locator("#dialog")).to_be_visible()
    page.screenshot(path=str(DOCS_IMG / "console-phase-confirmation.png"))
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Live results").click()
    expect(page.locator("#turnout-total")).to_be_visible(timeout=20_000)
    page.screenshot(path=str(DOCS_IMG / "console-live-results.png"), full_page=True)
    page.get_by_role("link", name="Contests", exact=True).click()
    page.get_by_label("Title (Russian)").fill("Лучшие дворы 2027")
    page.locator("#create-contest-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS_IMG / "console-create-contest.png"), full_page=True)
    page.close()

    mobile = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    console(mobile, url, SPRING, "moderation")
    expect(mobile.locator("#queue [data-status=pending]")).to_have_count(len(PENDING))
    mobile.screenshot(path=str(DOCS_IMG / "console-mobile.png"), full_page=True)
    mobile.close()

    key = ok(admin.post("/municipalities/yaroslavl/invitations", json={"valid_days": 1}))["key"]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="en-GB")
    page.goto(f"{url}/municipality")
    page.get_by_label("Invitation key").fill(key)
    page.keyboard.press("Enter")
    expect(page.locator("#practices tr", has_text="Riverside for everyone")).to_be_visible()
    page.screenshot(path=str(DOCS_IMG / "municipality-page.png"), full_page=True)
    page.close()
