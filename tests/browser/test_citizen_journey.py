"""A citizen's journey, on a phone (390 x 844) and a desktop (1440 x 900), asserting what the person sees: the
list of votes, a practice's own page with its full text and links, and results that name the winner."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.axe import assert_accessible
from tests.browser.journey_helpers import seed
from tests.browser.watch import Scheme, csp_violations
from tests.live_helpers import ok, open_contest, vote
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_dev.eventually import eventually_sync

SIZES: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
PAGES = {**SIZES, "phone-dark": SIZES["phone"]}  # every state's contrast in the dark theme too


def shot_name(page: Page) -> str:
    size = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    return size + ("-dark" if page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") else "")


@pytest.fixture(params=list(PAGES))
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    scheme: Scheme = "dark" if request.param.endswith("dark") else "light"
    context = browser.new_context(viewport=PAGES[request.param], locale="en-GB", color_scheme=scheme)
    yield context.new_page()
    context.close()


def test_from_the_list_of_votes_to_a_practice_read_in_full(
    page: Page, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"walk-{uid}"
    practices = seed(admin, contest)
    violations = csp_violations(page)
    page.goto(platform.url() + "/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Public votes")
    entry = page.get_by_role("listitem").filter(has_text=f"City awards {contest}")
    expect(entry).to_contain_text("Voting is open")
    assert_accessible(page)

    page.goto(f"{platform.url()}/en/contests/{contest}/nominations/n0/practices/{practices['perm']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lime trees by neighbours")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    description = page.get_by_role("region", name="About the practice")
    expect(description).to_contain_text("Neighbours adopt a lime tree each and water it all summer.")
    expect(description.get_by_role("listitem")).to_have_count(2)
    expect(description.get_by_role("link", name="https://parks.example/register")).to_be_visible()
    expect(page.get_by_role("link", name="https://perm.example/limes")).to_be_visible()
    expect(page.locator(".place")).to_contain_text("Perm")
    assert_accessible(page)
    assert violations == []


def test_results_name_the_winner_in_words(
    page: Page, platform: devstack.Platform, admin: httpx.Client, uid: str, docs_img: Path
) -> None:
    contest = f"won-{uid}"
    practices = seed(admin, contest)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for voter, town in enumerate(["perm", "perm", "kazan"]):
            assert vote(api, contest, "n0", practices[town], f"v{voter}").status_code == 202
        live = f"/en/contests/{contest}/results"
        eventually_sync(lambda: api.get(live), lambda r: "Winner:" in r.text, what="the votes counted")
        page.goto(platform.url() + live)
        expect(page.locator(".state")).to_contain_text("Live")
        for phase in ("voting_closed", "results_published"):
            ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
        eventually_sync(
            lambda: api.get(f"/api/v1/contests/{contest}/certificate"),
            lambda r: r.status_code == 200,
            what="certificate",
        )
    page.goto(platform.url() + live)
    expect(page.locator(".state")).to_have_text("Certified results")
    expect(page.locator(".state")).not_to_contain_text("Live")
    winner = f"Winner: Lime trees by neighbours (Perm {contest}), 2 votes, 66.7%."
    expect(page.locator(".winner")).to_have_text(winner)
    expect(page.locator(".podium li")).to_have_count(2)
    auditors = page.get_by_role("region", name="For auditors")
    expect(auditors).to_contain_text("Ballots counted3")
    expect(auditors.get_by_role("link", name="Download the certificate (JSON)")).to_be_visible()
    ballots = auditors.get_by_role("link", name=re.compile(r"^Download the anonymised ballots \(ballots\.jsonl"))
    published = httpx.get(platform.url() + (ballots.get_attribute("href") or ""), timeout=15)  # anyone's, no key
    assert (published.status_code, len(published.text.splitlines())) == (200, 3)
    assert_accessible(page)
    page.screenshot(path=str(docs_img / f"results-{shot_name(page)}.png"), full_page=True)


def test_the_vote_lands_where_the_voter_looks_and_says_where_they_are(
    page: Page, platform: devstack.Platform, admin: httpx.Client, uid: str, docs_img: Path
) -> None:
    contest = f"look-{uid}"
    open_contest(admin, contest, nominations=3)
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    page.get_by_label("Voter token from the organiser").fill(voter_token(DEMO_KEY, contest, "looker"))
    page.get_by_role("button", name="Use this token").click()
    expect(page.locator("#progress")).to_be_hidden()
    button = page.get_by_role("button", name=re.compile(r"^Vote for “Practice 0”"))
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_in_viewport()
    chosen = page.get_by_role("button", name="✓ Your vote: “Practice 0”")
    expect(chosen).to_have_text("✓ Your vote")  # the pressed button changed, in words and a mark
    expect(chosen).to_be_in_viewport()
    expect(page.locator("#progress-text")).to_have_text("You voted in 1 of 3 nominations.")
    expect(page.get_by_role("tab", name="Nomination 0 (voted)")).to_contain_text("✓")
    page.screenshot(path=str(docs_img / f"public-vote-{shot_name(page)}.png"))
    assert_accessible(page)
    page.get_by_role("button", name="Next: vote in “Nomination 1”").click()
    expect(page.get_by_role("tab", name="Nomination 1")).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name=re.compile(r"^Vote for “Practice 1”")).click()
    expect(page.locator("#progress-text")).to_have_text("You voted in 2 of 3 nominations.")
    page.get_by_role("link", name="Your ballot").click()
    expect(page.locator("#ballot-text")).to_have_text("You voted for “Practice 1”.")
    assert violations == []
