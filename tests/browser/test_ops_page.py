"""The /ops page in headless Chromium: an observer signs in and watches a hidden contest's votes arrive."""

from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.conftest import OBSERVER_KEY
from tests.browser.watch import csp_violations
from tests.live_helpers import open_contest, vote
from veche_dev import devstack


def test_observer_watches_health_lag_moderation_and_hidden_standings_live(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, artifacts: Path
) -> None:
    contest = f"ops-{uid}"
    [practice] = open_contest(admin, contest, visibility="hidden", pending=2)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for voter in ("a", "b"):
            assert vote(api, contest, "n0", practice, f"{voter}-{uid}").status_code == 202

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        violations = csp_violations(page)
        page.goto(f"{platform.url()}/ops?contest={contest}")
        page.get_by_label("Operator key").fill(OBSERVER_KEY)
        page.get_by_role("button", name="Show").click()

        for service in ("gateway", "submissions", "voting", "results"):
            expect(page.locator(f'#services tr[data-service="{service}"]')).to_have_attribute("data-ready", "true")
        expect(page.locator("#moderation")).to_have_text("2")
        expect(page.locator("#lag")).to_have_text("0")
        expect(page.locator("#dead-letters")).not_to_have_text("–")
        row = page.locator(f'.board[data-nomination="n0"] tr[data-practice="{practice}"] .votes')
        expect(row).to_have_text("2")
        expect(page.locator(".board .badge")).to_have_text("hidden from the public")
        expect(page.locator("#updated")).to_contain_text("voting open · results hidden")
        phase_changes = page.locator('#audit tr[data-action="change_phase"]')
        expect(phase_changes).to_have_count(2)  # open_contest: submissions_open, then voting_open
        expect(phase_changes.first).to_contain_text("(admin)")

        assert vote(api, contest, "n0", practice, f"c-{uid}").status_code == 202
        expect(row).to_have_text("3")  # refreshed in place, no reload
        expect(page.locator("#rate")).not_to_have_text("0.0")
        page.screenshot(path=str(artifacts / "ops-page.png"), full_page=True)
        assert not violations, violations

        page.evaluate("sessionStorage.clear()")
        page.reload()
        page.get_by_label("Operator key").fill("not-a-key")
        page.get_by_role("button", name="Show").click()
        expect(page.locator("#message")).to_contain_text("401 unknown API key")  # read from the problem body
        page.close()


def test_one_sign_in_serves_the_console_and_ops(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    """Signed in to /admin, an operator opens /ops in the same tab without a second sign-in, and back; a sign-out
    on the console signs /ops out too."""
    contest = f"ops-once-{uid}"
    open_contest(admin, contest)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.goto(f"{platform.url()}/admin")
    page.get_by_label("Operator key").fill(OBSERVER_KEY)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_have_attribute("data-role", "observer")

    page.goto(f"{platform.url()}/ops?contest={contest}")
    expect(page.locator('#services tr[data-service="gateway"]')).to_have_attribute("data-ready", "true")
    expect(page.locator("#updated")).to_contain_text("voting open")
    expect(page.get_by_label("Operator key")).to_have_value("")  # nothing asked again

    page.goto(f"{platform.url()}/admin")
    expect(page.locator("#who")).to_have_attribute("data-role", "observer")  # the console resumes the same key
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{platform.url()}/ops?contest={contest}")
    expect(page.locator("#updated")).to_have_text("not signed in")
    expect(page.locator("#services tr")).to_have_count(0)
    page.close()
