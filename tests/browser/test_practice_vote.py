"""A vote from a practice's own page, on a phone (390 x 844) and a desktop (1440 x 900): the button itself shows
the steps and then "✓ Your vote", the status says so inside the viewport; the proof of work is fetched only when
the voter starts voting. And a contest's readable address: old ?contest= links move there, the language is in it."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, ViewportSize, expect

from tests.browser.axe import assert_accessible
from tests.browser.journey_helpers import seed
from tests.browser.watch import csp_violations
from tests.live_helpers import open_contest
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token

SIZES: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=SIZES[request.param], locale="en-GB")
    yield context.new_page()
    context.close()


def practice_url(platform: devstack.Platform, contest: str, practice: str, lang: str = "en") -> str:
    return f"{platform.url()}/{lang}/contests/{contest}/nominations/n0/practices/{practice}"


def test_a_vote_from_the_practice_page_lands_at_its_button(
    page: Page, platform: devstack.Platform, admin: httpx.Client, uid: str, docs_img: Path
) -> None:
    contest = f"here-{uid}"
    practices = seed(admin, contest)
    violations = csp_violations(page)
    page.goto(practice_url(platform, contest, practices["perm"]))
    page.get_by_label("Voter token from the organiser").fill(voter_token(DEMO_KEY, contest, "reader"))
    page.get_by_role("button", name="Use this token").click()
    button = page.get_by_role("button", name="Vote for this practice")
    expect(button).to_be_in_viewport()  # the vote is on the first screen, phone included
    assert_accessible(page)
    button.click()
    expect(page.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_in_viewport()
    chosen = page.get_by_role("button", name="✓ Your vote: “Lime trees by neighbours”")
    expect(chosen).to_have_text("✓ Your vote")
    expect(chosen).to_have_attribute("aria-disabled", "true")
    expect(chosen).to_be_focused()  # focus stays with the button pressed
    assert_accessible(page)
    size = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    page.screenshot(path=str(docs_img / f"practice-vote-{size}.png"))

    page.reload()  # the ballot is shown again from the API, and on the nomination's other practice
    expect(page.get_by_role("button", name="✓ Your vote: “Lime trees by neighbours”")).to_be_visible()
    page.goto(practice_url(platform, contest, practices["kazan"]))
    other = page.locator("#vote-box .vote")
    expect(other).to_have_text("You voted for “Lime trees by neighbours”")
    expect(other).to_have_attribute("aria-disabled", "true")  # one ballot per nomination: nothing left to cast
    assert_accessible(page)
    assert violations == []


def test_the_proof_of_work_loads_only_when_the_voter_starts_voting(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"pow-{uid}"
    [practice] = open_contest(admin, contest, identity_mode="device")
    page = browser.new_page(locale="en-GB")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(practice_url(platform, contest, practice))
    expect(page.locator("#identity-text")).to_contain_text("anonymous poll")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "altcha" in url], "the reader is sent no proof-of-work widget"
    asked = [url for url in fetched if url.endswith("/identity") or url.endswith("/public/texts.js")]
    assert asked == [], "the page carries how voters prove who they are, and loads only the words it says"

    def widget(request: Request) -> bool:
        return "vendor/altcha/altcha.js" in request.url

    with page.expect_request(widget):
        page.get_by_role("button", name="Vote for this practice").click()
    expect(page.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_visible(timeout=60_000)
    expect(page.locator("#vote-box .vote")).to_have_text("✓ Your vote")
    page.close()


def test_a_contest_reads_at_its_own_address_in_its_language(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"addr-{uid}"
    open_contest(admin, contest, nominations=2)
    page = browser.new_page(locale="en-GB")
    page.goto(f"{platform.url()}/?contest={contest}&nomination=n1&lang=ru")  # an old link
    expect(page).to_have_url(re.compile(rf"/ru/contests/{contest}/nominations/n1$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("tab", name="Номинация 1")).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="EN").click()
    expect(page).to_have_url(re.compile(rf"/en/contests/{contest}/nominations/n1$"))
    page.get_by_role("tab", name="Nomination 0").click()
    expect(page).to_have_url(re.compile(rf"/en/contests/{contest}/nominations/n0$"))
    page.goto(f"{platform.url()}/en/contests/{contest}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contest {contest}")
    page.close()
