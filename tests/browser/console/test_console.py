"""The organisers' console (/admin) in headless Chromium against the running platform: an admin signs in,
creates a contest and a nomination, moderates, opens voting after a confirmation and finds it in the audit log;
an observer sees everything and can change nothing. Organisers' OpenID sign-in: test_console_sign_in.py, on the
same platform (conftest.py)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.browser.console.conftest import MODERATOR_KEY
from tests.browser.console.console_helpers import sign_in, submit_pending
from tests.live_helpers import ok
from veche_dev import devstack


def test_admin_creates_moderates_opens_voting_and_sees_the_audit_entry(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, artifacts: Path
) -> None:
    contest = f"console-{uid}"
    page, violations = sign_in(browser, platform, ADMIN_KEY)
    expect(page.locator("#who")).to_have_text("ada · admin")
    assert ADMIN_KEY not in page.url

    page.get_by_label("Id (letters, digits, - and _)").fill(contest)
    page.get_by_label("Title (English)").fill("City poll")
    page.get_by_label("Title (Russian)").fill("Городской опрос")
    page.get_by_label("Results are shown").select_option("after_close")
    page.get_by_role("button", name="Create contest").click()
    expect(page.locator("#phase-now")).to_have_attribute("data-phase", "draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("City poll")
    closes = (datetime.now(UTC) + timedelta(days=45)).replace(day=15)  # mid-month: any time zone keeps the month
    page.get_by_label("Voting closes at").fill(closes.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Results are shown").select_option("live")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#message")).to_have_text("Saved.")
    saved = ok(admin.get(f"/contests/{contest}"))
    assert (saved["visibility"], saved["closes_at"][:8], saved["opens_at"], saved["version"]) == (
        "live",
        closes.strftime("%Y-%m-"),
        None,
        2,
    )

    page.get_by_role("link", name="Nominations").click()
    page.get_by_label("Id (letters, digits, - and _)").fill("parks")
    page.get_by_label("Title (English)").fill("Parks")
    page.get_by_label("Title (Russian)").fill("Парки")
    page.get_by_role("button", name="Add nomination").click()
    expect(page.locator('#nomination-list tr[data-nomination="parks"]')).to_contain_text("Парки")

    good, bad = submit_pending(admin, contest, "parks", uid, 2)
    page.get_by_role("link", name="Moderation").click()
    expect(page.locator("#queue [data-status=pending]")).to_have_count(2)
    page.get_by_text("Description and links of Park 0").click()
    expect(page.get_by_role("link", name="https://city.example/park").first).to_be_visible()
    page.get_by_role("button", name="Approve Park 0").click()
    expect(page.locator(f'#queue [data-practice="{good}"]')).to_have_attribute("data-status", "approved")
    page.get_by_role("button", name="Reject Park 1").click()
    page.get_by_label("Reason (the municipality sees it)").fill("Not a municipal practice")
    page.locator("#dialog").get_by_role("button", name="Reject").click()
    expect(page.locator(f'#queue [data-practice="{bad}"]')).to_contain_text("Not a municipal practice")
    expect(page.locator("#message")).to_have_text("Rejected: Park 1.")  # the moderation's word, not the CSV upload's
    assert ok(admin.get(f"/contests/{contest}/practices"))["items"][1]["reject_reason"] == "Not a municipal practice"

    page.get_by_role("link", name="Settings and phase").click()
    page.get_by_role("button", name="Open submissions").click()
    page.locator("#dialog").get_by_role("button", name="Open submissions").click()
    expect(page.locator("#phase-now")).to_have_attribute("data-phase", "submissions_open")
    page.get_by_role("button", name="Open voting").click()
    dialog = page.locator("#dialog")
    expect(dialog).to_contain_text("Voting opens: citizens can vote from now")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")  # cancelled: nothing changes, focus returns to the button
    expect(page.get_by_role("button", name="Open voting")).to_be_focused()
    expect(page.locator("#phase-now")).to_have_attribute("data-phase", "submissions_open")
    page.get_by_role("button", name="Open voting").click()
    dialog.get_by_role("button", name="Open voting").click()
    expect(page.locator("#phase-now")).to_have_attribute("data-phase", "voting_open")
    assert ok(admin.get(f"/contests/{contest}"))["phase"] == "voting_open"

    page.get_by_role("link", name="Audit log").click()
    entries = page.locator('#audit-table tr[data-action="change_phase"]')
    expect(entries).to_have_count(2)
    expect(entries.last).to_contain_text("ada (admin)")
    expect(page.locator('#audit-table tr[data-action="reject_practice"]')).to_contain_text("done")
    page.screenshot(path=str(artifacts / "console-audit.png"), full_page=True)

    page.get_by_role("button", name="RU").click()
    expect(page.get_by_role("link", name="Журнал действий")).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Ключ оператора")).to_be_visible()
    assert ADMIN_KEY not in page.evaluate("JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")
    assert not violations, violations
    page.close()


def test_observer_sees_but_cannot_change(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"watch-{uid}"
    ok(admin.post("/contests", json={"id": contest, "title": {"en": "Watched"}}))
    ok(admin.post(f"/contests/{contest}/nominations", json={"id": "n0", "title": {"en": "Schools"}}))
    submit_pending(admin, contest, "n0", uid, 1)
    page, violations = sign_in(browser, platform, OBSERVER_KEY)
    expect(page.locator("#who")).to_have_text("olga · observer")
    expect(page.get_by_role("button", name="Create contest")).to_have_count(0)
    page.get_by_role("button", name="Manage Watched").click()
    expect(page.get_by_role("button", name="Open submissions")).to_be_disabled()
    expect(page.get_by_role("button", name="Save settings")).to_be_disabled()
    page.get_by_role("link", name="Nominations").click()
    expect(page.locator('#nomination-list tr[data-nomination="n0"]')).to_contain_text("Schools")
    expect(page.get_by_role("button", name="Add nomination")).to_have_count(0)
    page.get_by_role("link", name="Moderation").click()
    expect(page.locator("#queue [data-status=pending]")).to_have_count(1)
    expect(page.locator("#queue button")).to_have_count(0)
    # the API refuses what the page does not offer, whatever a page could send
    status = page.evaluate(
        "k => fetch('/api/v1/admin/contests/" + contest + "/phase', {method: 'POST', headers: {'X-API-Key': k, "
        "'Content-Type': 'application/json'}, body: JSON.stringify({phase: 'submissions_open'})}).then(r => r.status)",
        OBSERVER_KEY,
    )
    assert status == 403
    assert not violations, violations
    page.close()


def test_a_moderator_moderates_but_does_not_run_the_contest(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"mod-{uid}"
    ok(admin.post("/contests", json={"id": contest, "title": {"ru": "Модерация", "en": "Moderated"}}))
    ok(admin.post(f"/contests/{contest}/nominations", json={"id": "n0", "title": {"en": "Parks"}}))
    [practice] = submit_pending(admin, contest, "n0", uid, 1)
    page, violations = sign_in(browser, platform, MODERATOR_KEY)
    expect(page.locator("#who")).to_have_text("mona · moderator")
    page.get_by_role("button", name="Manage Moderated").click()
    expect(page.get_by_role("button", name="Open submissions")).to_be_disabled()
    page.get_by_role("link", name="Moderation").click()
    page.get_by_role("button", name="Withdraw Park 0").click()
    page.locator("#dialog").get_by_role("button", name="Withdraw").click()
    expect(page.locator(f'#queue [data-practice="{practice}"]')).to_have_attribute("data-status", "withdrawn")
    page.get_by_label("Status").select_option("")  # any status: the withdrawn one is still listed
    expect(page.locator(f'#queue [data-practice="{practice}"] .status')).to_have_text("withdrawn")
    assert not violations, violations
    page.close()


def test_a_wrong_key_is_refused_in_words(browser: Browser, platform: devstack.Platform) -> None:
    page, _ = sign_in(browser, platform, "not-a-key")
    expect(page.locator("#message")).to_contain_text("The key was not accepted: unknown API key")
    expect(page.locator("#console")).to_be_hidden()
    assert "not-a-key" not in page.evaluate("JSON.stringify(sessionStorage)")
    page.close()
