"""The console's voter roll view (/admin#/roll) in headless Chromium against the running platform: an admin names
the roll claim, uploads a file with bad lines (every one named, nothing entered), then the fixed file, and sees the
roll's size; and an approval nomination's rule in the nominations view."""

import httpx
from playwright.sync_api import Browser, FilePayload, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY
from tests.browser.watch import csp_violations
from tests.live_helpers import ok
from veche_dev import devstack


def csv_file(text: str) -> FilePayload:
    return FilePayload(name="roll.csv", mimeType="text/csv", buffer=text.encode())


def test_admin_names_the_claim_and_uploads_a_roll(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"roll-{uid}"
    ok(admin.post("/contests", json={"id": contest, "title": {"en": f"Budget {uid}"}, "identity_mode": "jwt"}))
    rule = {"id": "parks", "title": {"en": "Parks"}, "max_choices": 3, "min_choices": 1}
    ok(admin.post(f"/contests/{contest}/nominations", json=rule))
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/admin#/roll")
    page.get_by_label("Operator key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Contest", exact=True).select_option(contest)

    expect(page.locator("#roll-state")).to_contain_text("no voter roll")
    page.get_by_label("Claim of the voter's token checked against the roll").fill("resident_id")
    page.get_by_role("button", name="Save claim").click()
    expect(page.locator("#roll-state")).to_contain_text("No roll uploaded yet")

    file = page.get_by_label("CSV file (UTF-8): header id, one identifier a line")
    file.set_input_files(csv_file("id\n4510-1\n4510-2\n4510-1\n" + "x" * 200 + "\n"))
    page.get_by_role("button", name="Upload roll").click()
    expect(page.locator("#roll-status")).to_have_text("2 problem(s) in the file; nothing was changed.")
    expect(page.locator("#roll-problems tbody tr")).to_have_count(2)
    expect(page.locator("#roll-problems")).not_to_contain_text("4510-1")
    assert_accessible(page, include=("#view",))

    file.set_input_files(csv_file("id\n4510-1\n4510-2\n4510-3\n"))
    page.get_by_role("button", name="Upload roll").click()
    expect(page.locator("#roll-status")).to_have_text("3 lines: 3 added, 0 already on the roll; 3 on the roll now.")
    expect(page.locator("#roll-state")).to_contain_text("3 identifiers on the roll")
    roll = ok(admin.get(f"/contests/{contest}/roll"))
    assert (roll["claim"], roll["head"]["entries"]) == ("resident_id", 3)

    page.goto(f"{platform.url()}/admin#/nominations")
    expect(page.locator('#nomination-list tr[data-nomination="parks"]')).to_contain_text("1–3 practices")
    assert_accessible(page, include=("#view",))
    assert violations == []
    page.close()
