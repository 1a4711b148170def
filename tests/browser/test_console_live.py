"""The console's live results: an operator watches a contest whose results are hidden from the public, sees the
standings, the turnout and the municipalities move as ballots arrive, without reloading, on a phone too."""

import functools

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import OBSERVER_KEY
from tests.browser.watch import Scheme, csp_violations
from tests.live_helpers import open_contest, vote
from veche_dev import devstack
from veche_dev.eventually import eventually_sync


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_observer_watches_hidden_results_move(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, scheme: Scheme
) -> None:
    contest = f"live-{scheme}-{uid}"
    [practice] = open_contest(admin, contest, visibility="hidden")
    page = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme).new_page()
    violations = csp_violations(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/leaderboards" in r.url else None)
    page.clock.install()  # the page's timers follow real time until the test moves them on
    page.goto(f"{platform.url()}/admin#/live")
    page.get_by_label("Operator key").fill(OBSERVER_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Contest", exact=True).select_option(contest)
    expect(page.locator("#live-visibility")).to_contain_text("Hidden from the public")
    expect(page.locator(f'tr[data-practice="{practice}"] .votes')).to_have_text("0")
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for number in range(3):
            cast = functools.partial(vote, api, contest, "n0", practice, f"voter-{number}")
            eventually_sync(cast, lambda r: r.status_code == 202, what=f"ballot {number}")
        assert api.get(f"/api/v1/contests/{contest}/leaderboards").json()[0]["entries"] == []  # hidden for the public
    page.clock.run_for(5_000)  # the view's next refresh (every 5 s) now rather than later
    expect(page.locator(f'tr[data-practice="{practice}"] .votes')).to_have_text("3", timeout=30_000)
    expect(page.locator("#live-ballots")).to_contain_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.get_by_role("link", name="Contests").click()  # leaving the view stops its refreshes
    page.wait_for_timeout(300)  # a refresh already on its way may still go out
    seen = len(requests)
    page.clock.run_for(6_000)  # more than the 5 s between refreshes: the view would have asked again
    page.wait_for_timeout(300)
    assert len(requests) == seen
    assert violations == []
    page.context.close()
