"""The public page in headless Chromium: its first cards without a script, the nominations tablist by keyboard,
polite announcements of rank changes only, the identity box of each mode, and the certified results after
publication."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY
from tests.browser.places import seed_contest, seed_places
from tests.browser.watch import csp_violations
from tests.live_helpers import admin_client, ok, vote
from veche_dev import devstack
from veche_dev.eventually import eventually_sync

RECORD_ANNOUNCEMENTS = """() => { window.said = [];
  new MutationObserver(() => window.said.push(document.getElementById('announce').textContent))
    .observe(document.getElementById('announce'), {childList: true, characterData: true, subtree: true}); }"""


@pytest.fixture(scope="module")
def towns(platform: devstack.Platform) -> list[dict[str, Any]]:
    with admin_client(platform, ADMIN_KEY) as admin:
        return seed_places(admin, 3)


def counted(page: Page, total: int) -> None:
    expect(page.locator("#board .veche-board")).to_have_attribute("data-total", str(total))


def test_the_first_cards_come_with_the_page_and_its_script_asks_again_for_none_of_them(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, towns: list[dict[str, Any]], uid: str
) -> None:
    contest = f"first-{uid}"
    seed_contest(admin, contest, towns, identity_mode="device", nominations=2)
    reader = browser.new_context(java_script_enabled=False)
    still = reader.new_page()
    still.goto(f"{platform.url()}/ru/contests/{contest}")
    expect(still.get_by_role("heading", level=1)).to_have_text(f"Карта {contest}")
    cards = still.locator("#cards .card")
    expect(cards).to_have_count(len(towns))
    expect(cards.first.get_by_role("link")).to_have_attribute("href", re.compile(rf"^/ru/contests/{contest}/"))
    expect(still.get_by_role("button", name=re.compile("^Голосовать за «Practice of"))).to_have_count(len(towns))
    expect(still.locator("#cards .vote").first).to_be_disabled()  # no script: nothing would cast it
    reader.close()

    page = browser.new_page(locale="en-GB")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.goto(f"{platform.url()}/en/contests/{contest}/nominations/n0")
    expect(page.locator("#cards .vote").first).to_be_enabled()  # the script took the cards over
    expect(page.locator("#identity-text")).to_contain_text("anonymous poll")
    expect(page.get_by_role("tab", name="Nomination 0")).to_have_attribute("aria-selected", "true")
    page.wait_for_load_state("networkidle")
    api = f"/api/v1/contests/{contest}"
    carried = {"/api/v1/contests", f"{api}/identity", f"{api}/practices", "/api/v1/municipalities"}
    assert carried & set(asked) == set(), "the page carried these"
    page.get_by_role("tab", name="Nomination 1").click()  # another nomination: its practices from the API
    expect(page).to_have_url(re.compile(r"/nominations/n1$"))
    expect(page.locator("#cards .card-title")).to_have_text(["Practice 1"])
    assert f"{api}/practices" in asked
    page.close()


def test_nominations_tablist_by_keyboard(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, towns: list[dict[str, Any]], uid: str
) -> None:
    contest = f"tabs-{uid}"
    seed_contest(admin, contest, towns, nominations=3)
    page = browser.new_page()
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(page.get_by_role("tablist")).to_have_attribute("aria-orientation", "horizontal")

    def selected(index: int) -> None:
        tab = tabs.nth(index)
        expect(tab).to_have_attribute("aria-selected", "true")
        expect(tab).to_be_focused()
        assert [tabs.nth(i).get_attribute("tabindex") for i in range(3)] == [
            "0" if i == index else "-1" for i in range(3)
        ]
        expect(page.get_by_role("tabpanel")).to_have_attribute("aria-labelledby", f"tab-n{index}")

    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    selected(1)
    assert page.url.endswith(f"/en/contests/{contest}/nominations/n1")
    page.keyboard.press("End")
    selected(2)
    page.keyboard.press("ArrowRight")  # wraps around
    selected(0)
    page.keyboard.press("ArrowLeft")
    selected(2)
    page.keyboard.press("Home")
    selected(0)
    page.keyboard.press("Tab")  # one Tab stop for the whole list: the next Tab leaves it
    assert page.evaluate("document.activeElement.getAttribute('role')") != "tab"
    page.close()


def test_announces_rank_changes_once_not_numbers(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, towns: list[dict[str, Any]], uid: str
) -> None:
    contest = f"say-{uid}"
    perm, kazan, _ = seed_contest(admin, contest, towns)
    api = httpx.Client(base_url=platform.url(), timeout=15)
    assert vote(api, contest, "n0", perm, "first").status_code == 202
    page = browser.new_page()
    page.clock.install()  # the page's timers follow real time until the test moves them on
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    counted(page, 1)
    expect(page.locator("#board .veche-board")).to_have_attribute("aria-live", "off")  # the numbers are not read out
    expect(page.locator("#announce")).to_have_attribute("aria-live", "polite")
    page.evaluate(RECORD_ANNOUNCEMENTS)

    assert vote(api, contest, "n0", kazan, "second").status_code == 202
    counted(page, 2)
    expect(page.locator("#announce")).to_have_text("“Practice of Kazan” is level at place 1.")
    assert vote(api, contest, "n0", kazan, "third").status_code == 202
    counted(page, 3)  # announced no sooner than 5 s after the last one
    page.clock.run_for(5_000)  # the page's 5 s between two announcements, without waiting them out
    expect(page.locator("#announce")).to_have_text("“Practice of Kazan” now leads.")
    assert vote(api, contest, "n0", kazan, "fourth").status_code == 202
    counted(page, 4)  # the numbers moved, the order did not
    page.clock.run_for(5_000)  # anything the fourth board queued would be said by now
    assert page.evaluate("window.said") == [
        "“Practice of Kazan” is level at place 1.",
        "“Practice of Kazan” now leads.",
    ]
    api.close()
    page.close()


def test_identity_box_follows_the_mode(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, towns: list[dict[str, Any]], uid: str
) -> None:
    seed_contest(admin, f"dev-{uid}", towns, identity_mode="device")
    seed_contest(admin, f"tok-{uid}", towns)
    page = browser.new_page()
    page.goto(f"{platform.url()}/?contest=dev-{uid}&lang=en")
    expect(page.locator("#identity-text")).to_contain_text("anonymous poll")
    expect(page.get_by_role("textbox")).to_have_count(0)  # device mode: nothing to paste
    expect(page.locator("#sign-in")).to_be_hidden()
    page.goto(f"{platform.url()}/?contest=tok-{uid}&lang=en")
    expect(page.locator("#identity-text")).to_contain_text("Paste the voter token")
    expect(page.get_by_label("Voter token from the organiser")).to_be_visible()
    page.close()


def test_certified_results_after_publication(
    browser: Browser,
    platform: devstack.Platform,
    admin: httpx.Client,
    towns: list[dict[str, Any]],
    uid: str,
    docs_img: Path,
) -> None:
    contest = f"cert-{uid}"
    perm, kazan, _ = seed_contest(admin, contest, towns)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for voter, practice in enumerate([perm, perm, kazan]):
            assert vote(api, contest, "n0", practice, f"v{voter}").status_code == 202
        for phase in ("voting_closed", "results_published"):
            ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
        issued = eventually_sync(
            lambda: api.get(f"/api/v1/contests/{contest}/certificate"),
            lambda r: r.status_code == 200,
            what="certificate",
        )
        certificate = issued.json()
    assert certificate["ballots"] == 3
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    results = page.get_by_role("region", name="Certified results")
    expect(results.locator(".cert-digest")).to_have_text(certificate["digest_sha256"])
    expect(results.locator(".cert-facts")).to_contain_text("Ballots counted3")
    rows = results.locator(".cert-standings tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_text("Practice of Perm2 votes")
    expect(results.get_by_role("link", name="Download the certificate")).to_have_attribute(
        "href", f"/api/v1/contests/{contest}/certificate"
    )
    expect(results).to_contain_text("veche verify certificate.json ballots.jsonl")
    results.screenshot(path=str(docs_img / "public-results.png"))
    assert_accessible(page)
    assert violations == []
    context.close()
