"""The /municipality page in headless Chromium: a representative signs in with an invitation key, submits a
practice, sees it pending, sees the moderator's reason after a rejection, and resubmits it."""

from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.municipality_helpers import contest_taking_submissions
from tests.browser.watch import csp_violations
from tests.live_helpers import ok
from veche_dev import devstack


def row_of(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator("#practices tr", has_text=title)


def test_a_representative_submits_is_rejected_and_resubmits(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, artifacts: Path
) -> None:
    key = contest_taking_submissions(admin, uid)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/municipality")
    assert_accessible(page)
    page.get_by_label("Invitation key").fill("vmk_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The key was not accepted")

    page.get_by_label("Invitation key").fill(key)
    page.keyboard.press("Enter")  # the form signs in from the keyboard
    expect(page.locator("#who")).to_contain_text("Tver")
    assert key not in page.url
    page.get_by_role("button", name="Submit", exact=True).click()  # nothing typed: the title is announced as required
    expect(page.get_by_role("alert")).to_have_text("Please correct the highlighted fields.")
    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_be_focused()

    page.get_by_label("Contest and nomination").select_option(f"mun-{uid}/green")
    page.get_by_label("Title").fill("Courtyards in bloom")
    page.get_by_label("Summary").fill("Residents plant their own courtyards")
    page.get_by_label("Contact e-mail for the moderators (never published)").fill("mayor@tver.example")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("is submitted and waits for moderation")
    row = row_of(page, "Courtyards in bloom")
    expect(row).to_have_attribute("data-status", "pending")
    expect(row).to_contain_text("Green city")

    practice = row.get_attribute("data-practice")
    reason = "Please add what changed for residents"
    ok(admin.post(f"/practices/{practice}/reject", json={"reason": reason}))
    page.reload()  # the key is kept for this tab: no new sign-in
    expect(row).to_have_attribute("data-status", "rejected")
    expect(row.locator(".reason")).to_have_text(reason)
    assert_accessible(page)  # signed in: the table, its actions and the form

    row.get_by_role("button", name="Resubmit: Courtyards in bloom").click()
    expect(page.get_by_label("Title")).to_have_value("Courtyards in bloom")
    page.get_by_label("Description").fill("Two hundred courtyards, planted and kept by their residents.")
    page.get_by_role("button", name="Resubmit for moderation").click()
    expect(page.get_by_role("status")).to_contain_text("is back in moderation")
    expect(row).to_have_attribute("data-status", "pending")
    expect(row.locator(".reason")).to_have_text("")

    page.get_by_role("button", name="RU").click()
    expect(row).to_contain_text("Ждёт модерации")
    expect(row).to_contain_text("Зелёный город")
    page.screenshot(path=str(artifacts / "municipality-page.png"), full_page=True)
    stored = ok(admin.get(f"/contests/mun-{uid}/practices", params={"status": "pending"}))["items"]
    assert [(p["id"], p["version"]) for p in stored] == [(practice, 3)]
    assert not violations, violations
    page.close()
