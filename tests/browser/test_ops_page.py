"""The operations view of the console (/admin#/ops, where /ops leads) in headless Chromium: an observer reads in
words that the platform is healthy, then that it is not once a ledger message is dead-lettered, with the dead letter's
age, contest and next step, runbook and Grafana links; at 1,440 and 390 px, in both themes, in English and Russian."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import nats
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.browser.watch import csp_violations
from tests.live_helpers import open_contest, running_platform, vote
from tests.sync import run
from veche_dev import devstack
from veche_shared import subjects

GRAFANA = "https://grafana.example/d/veche-overview"
RUNBOOK = "https://docs.example/veche/operations.md"


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    links = {"VECHE_GATEWAY_GRAFANA_URL": GRAFANA, "VECHE_GATEWAY_RUNBOOK_URL": RUNBOOK}
    with running_platform(infra, "ops", ADMIN_KEY, OBSERVER_KEY, **links) as started:
        yield started


async def publish_unreadable_ballot(harness_url: str, contest: str, voter: str) -> int:
    """A message on a ballot's subject that is no ballot, as a broken or foreign writer would leave it."""
    client = await nats.connect(harness_url)
    try:
        return (await client.jetstream().publish(subjects.vote_cast(contest, voter), b'{"not": "a ballot"}')).seq
    finally:
        await client.close()


def accessible_in_both_themes(page: Page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page)


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_operations_view_says_whether_the_platform_is_healthy_and_what_to_do(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, infra: dict[str, str], uid: str,
    docs_img: Path,
) -> None:  # fmt: skip
    contest = f"ops-{uid}"
    [practice] = open_contest(admin, contest, visibility="hidden", pending=2)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        assert vote(api, contest, "n0", practice, f"a-{uid}").status_code == 202
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB").new_page()
    violations = csp_violations(page)
    page.clock.install()  # the view's timers follow real time until the test moves them on
    page.goto(f"{platform.url()}/ops?contest={contest}")  # the old address leads to the console's view
    expect(page).to_have_url(f"{platform.url()}/admin#/ops")
    page.get_by_label("Operator key").fill(OBSERVER_KEY)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#contest-status")).to_have_attribute("data-contest", contest)

    status = page.locator("#ops-status")
    expect(status).to_have_attribute("data-state", "ok", timeout=20_000)
    expect(status).to_have_text(
        "All good: every service answers, the leaderboards keep up with the ledger and no ballot was dead-lettered."
    )
    moderation = page.locator("#tile-moderation")
    expect(moderation.locator(".value")).to_have_text("2")
    expect(moderation.locator(".scope")).to_have_text("This contest")
    expect(moderation.get_by_role("link", name="Open moderation")).to_have_attribute("href", "#/moderation")
    lag = page.locator("#tile-lag")
    expect(lag.locator(".scope")).to_have_text("Whole platform, all contests")
    expect(lag.locator(".what")).to_contain_text("Above 1,000 for a minute")
    expect(lag.get_by_role("link", name="What to do")).to_have_attribute(
        "href", f"{RUNBOOK}#leaderboards-lag-behind-the-ledger"
    )
    page.clock.run_for(5_000)  # the view's next refresh (every 5 s) now rather than later
    expect(lag.locator(".trend")).not_to_have_attribute("data-trend", "new", timeout=15_000)  # a second reading
    expect(lag.locator(".spark")).to_have_count(1)
    expect(page.locator("#grafana-link")).to_have_attribute("href", GRAFANA)
    page.locator("#grafana-link").evaluate("link => { link.dataset.drawn = 'before'; }")
    page.locator("#grafana-link").focus()  # a keyboard user on a link keeps it through the next refresh
    page.clock.run_for(5_000)
    expect(page.locator("#grafana-link[data-drawn]")).to_have_count(0, timeout=15_000)  # drawn again
    expect(page.locator("#grafana-link")).to_be_focused()
    expect(page.locator("#dead-letters-none")).to_be_visible()
    for service in ("gateway", "submissions", "voting", "results"):
        expect(page.locator(f'#ops-services tr[data-service="{service}"]')).to_have_attribute("data-ready", "true")

    sequence = run(publish_unreadable_ballot(infra["harness_url"], contest, f"broken-{uid}"))
    page.clock.run_for(5_000)
    expect(status).to_have_attribute("data-state", "degraded", timeout=20_000)
    expect(status).to_contain_text("Degraded: ")
    expect(status).to_contain_text("1 ledger message could not be counted in the last hour (dead letters)")
    problem = page.locator('#ops-problems li[data-problem="deadLetters"]')
    expect(problem.get_by_role("link", name="What to do")).to_have_attribute("href", f"{RUNBOOK}#dead-letters")
    expect(page.locator("#tile-deadLetters")).to_have_attribute("data-state", "bad")
    row = page.locator(f'#dead-letter-list tr[data-sequence="{sequence}"]')
    expect(row).to_have_attribute("data-kind", "invalid_event")
    expect(row).to_contain_text(" ago")
    # a ballot's subject names its contest and no nomination (one subject per voter per contest)
    expect(row.locator("td").nth(1)).to_have_text(f"Contest {contest} (this contest)")
    expect(row).to_contain_text("not a valid event (invalid cast message")
    expect(row).to_contain_text(f"nats stream get VOTES {sequence}")
    fits(page, 1440)
    accessible_in_both_themes(page)
    page.emulate_media(color_scheme="light")
    page.screenshot(path=str(docs_img / "ops-page.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="light")
    expect(page.locator(f'#dead-letter-list tr[data-sequence="{sequence}"]')).to_be_visible()
    fits(page, 390)
    accessible_in_both_themes(page)
    page.screenshot(path=str(docs_img / "ops-page-phone.png"), full_page=True)

    page.get_by_role("button", name="RU").click()
    expect(status).to_have_text(
        "Есть сбои: 1 сообщение журнала не удалось учесть за последний час (отложенные сообщения)."
    )
    expect(page.locator("#tile-moderation .scope")).to_have_text("Этот конкурс")
    expect(page.locator(f'#dead-letter-list tr[data-sequence="{sequence}"]')).to_contain_text("этот конкурс")
    fits(page, 390)
    assert violations == []
    page.context.close()


def test_one_sign_in_serves_the_console_and_the_old_ops_address(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    """Signed in to /admin, an operator sees the platform's health before choosing a contest, then follows an old
    /ops link without a second sign-in; it chooses the contest it names; a sign-out signs the view out too."""
    contest = f"ops-once-{uid}"
    open_contest(admin, contest)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.goto(f"{platform.url()}/admin")
    page.get_by_label("Operator key").fill(OBSERVER_KEY)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_have_attribute("data-role", "observer")
    page.get_by_role("link", name="Operations").click()  # no contest chosen yet: the platform's part alone
    expect(page.locator("#ops-platform-only")).to_contain_text("Choose a contest above")
    expect(page.locator('#ops-services tr[data-service="results"]')).to_have_attribute("data-ready", "true")
    expect(page.locator("#ops-status")).not_to_have_attribute("data-state", "unknown")
    expect(page.locator("#tile-lag")).to_be_visible()
    expect(page.locator("#tile-moderation")).to_have_count(0)  # a contest's figure

    page.goto(f"{platform.url()}/ops?contest={contest}")
    expect(page.locator("#contest-status")).to_have_attribute("data-contest", contest)
    expect(page.locator('#ops-services tr[data-service="gateway"]')).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("link", name="Operations")).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#ops-status")).to_have_count(0)
    expect(page.get_by_label("Operator key")).to_be_visible()
    page.close()
