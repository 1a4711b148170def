"""The public page's map and chart in headless Chromium: outlines, markers sized by votes, labels that do not
overlap, links by keyboard, the list alternative, votes over time, plural forms."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, FloatRect, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY
from tests.browser.places import seed_contest, seed_places
from tests.browser.watch import csp_violations
from tests.live_helpers import admin_client, vote
from veche_dev import devstack

LABEL_BOXES = """() => Array.from(document.querySelectorAll('#map .map-place text')).map(t => {
  const b = t.getBBox(); return [b.x, b.y, b.width, b.height]; })"""


@pytest.fixture(scope="module")
def towns(platform: devstack.Platform) -> list[dict[str, Any]]:
    with admin_client(platform, ADMIN_KEY) as admin:
        return seed_places(admin, 40)


def overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
    ]


def cast(platform: devstack.Platform, contest: str, practice: str, voters: range) -> None:
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for voter in voters:
            assert vote(api, contest, "n0", practice, f"{practice}-{voter}").status_code == 202


def open_page(page: Page, platform: devstack.Platform, contest: str, lang: str = "en") -> None:
    page.goto(f"{platform.url()}/?contest={contest}&lang={lang}")
    expect(page.locator("#map")).to_have_attribute("data-places", "40")


def test_map_of_forty_places_with_votes(
    browser: Browser,
    platform: devstack.Platform,
    admin: httpx.Client,
    towns: list[dict[str, Any]],
    uid: str,
    artifacts: Path,
    docs_img: Path,
) -> None:
    contest = f"map-{uid}"
    practices = seed_contest(admin, contest, towns)
    cast(platform, contest, practices[0], range(5))  # Perm leads
    cast(platform, contest, practices[1], range(2))
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    violations = csp_violations(page)
    open_page(page, platform, contest)
    expect(page.locator("#board .veche-board")).to_have_attribute("data-total", "7")
    expect(page.locator("#map circle")).to_have_count(40)
    assert len(page.locator("#map .map-land").get_attribute("d") or "") > 1_000  # country outlines are drawn
    assert page.locator("#map .map-regions").get_attribute("d")  # and Russia's regions
    perm = page.locator("#map circle[data-place='perm']")
    expect(perm).to_have_attribute("r", "18.0")  # the most votes, the biggest marker: 3 + 15 * sqrt(5 / 5)
    expect(page.locator("#map circle[data-place='tver']")).to_have_attribute("r", "3.0")

    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 10
    assert overlapping(boxes) == []
    perm_label = page.get_by_role("link", name="Perm: 5 votes")
    perm_label.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith(f"#practice-{practices[0]}")

    page.locator(".map").screenshot(path=str(docs_img / "public-map.png"))
    page.get_by_text("All places on the map").click()
    rows = page.locator("#map-list tbody tr")
    expect(rows).to_have_count(40)
    expect(rows.first).to_have_text("Perm5 votes")
    expect(rows.nth(1)).to_have_text("Kazan2 votes")
    expect(page.locator("#chart")).to_be_visible()
    expect(page.locator("#chart .chart-summary")).to_contain_text("7 votes")
    expect(page.locator("#chart tbody tr")).not_to_have_count(0)
    page.screenshot(path=str(artifacts / "public-map-full.png"), full_page=True)
    assert_accessible(page)  # the map's links, the list and the chart's table included
    assert violations == []
    context.close()


def test_russian_plural_forms_and_mobile_width(
    browser: Browser,
    platform: devstack.Platform,
    admin: httpx.Client,
    towns: list[dict[str, Any]],
    uid: str,
    docs_img: Path,
) -> None:
    contest = f"ru-{uid}"
    practices = seed_contest(admin, contest, towns)
    cast(platform, contest, practices[0], range(2))
    cast(platform, contest, practices[1], range(1))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{platform.url()}/ru/contests/{contest}")
    expect(page.locator("#board .veche-board")).to_have_attribute("data-total", "3")
    expect(page.locator("#cards li")).to_have_count(40)
    top: FloatRect = {"x": 0, "y": 0, "width": 390, "height": 1300}  # the header, identity box and the first cards
    page.screenshot(path=str(docs_img / "public-page-mobile.png"), full_page=True, clip=top)
    page.get_by_role("button", name="Показать карту").click()  # folded on a phone: the practices come first
    expect(page.locator("#map")).to_have_attribute("data-places", "40")
    expect(page.get_by_role("link", name="Пермь: 2 голоса")).to_be_attached()
    page.get_by_text("Все места на карте").click()
    expect(page.locator("#map-list tbody tr").nth(1)).to_have_text("Казань1 голос")
    expect(page.locator("#map-list tbody tr").nth(2)).to_have_text("Владивосток0 голосов")  # then by name
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out sideways on a phone
    context.close()


def test_hidden_results_show_places_without_numbers(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, towns: list[dict[str, Any]], uid: str
) -> None:
    contest = f"hid-{uid}"
    practices = seed_contest(admin, contest, towns, visibility="hidden")
    cast(platform, contest, practices[0], range(3))
    page = browser.new_page()
    open_page(page, platform, contest)
    expect(page.locator("#board .veche-board")).to_have_attribute("data-total", "")
    radii = page.locator("#map circle").evaluate_all("circles => [...new Set(circles.map(c => c.getAttribute('r')))]")
    assert radii == ["4.0"]  # every marker alike: nothing moves with ballots
    expect(page.get_by_role("link", name="Perm", exact=True)).to_be_attached()
    expect(page.locator("#chart")).to_be_hidden()
    page.close()
