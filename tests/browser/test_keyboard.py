"""The voting path on / and the moderation path in /admin by keyboard alone (Tab, Shift+Tab, Enter, Space,
arrows), against the running platform."""

import re

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ADMIN_KEY
from tests.browser.keyboard import tab_to
from tests.browser.watch import csp_violations
from tests.live_helpers import ok, open_contest
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token


def test_vote_by_keyboard_alone(browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str) -> None:
    contest = f"keys-{uid}"
    open_contest(admin, contest, nominations=2)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")

    tab_to(page, page.get_by_label("Voter token from the organiser"))
    page.keyboard.type(voter_token(DEMO_KEY, contest, "keyboard"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Use this token")).to_be_focused()
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_role("tab", name="Nomination 0"), backwards=True)  # the tablist is above
    page.keyboard.press("ArrowRight")  # WAI-ARIA tabs: arrows move between tabs and select them
    second = page.get_by_role("tab", name="Nomination 1")
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-selected", "true")

    tab_to(page, page.get_by_role("button", name=re.compile(r"^Vote for “Practice 1”")))
    page.keyboard.press("Space")
    expect(page.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_in_viewport()
    expect(page.get_by_role("button", name="✓ Your vote: “Practice 1”")).to_be_focused()  # focus stays put
    expect(page.locator("#ballot-text")).to_have_text("You voted for “Practice 1”.")
    assert violations == []
    page.close()


def pending_practices(admin: httpx.Client, uid: str) -> str:
    """A draft contest with two practices waiting for moderation, "Park 0" and "Park 1"."""
    contest = f"keys-mod-{uid}"
    ok(admin.post("/contests", json={"id": contest, "title": {"en": f"Keyboard {uid}"}}))
    ok(admin.post(f"/contests/{contest}/nominations", json={"id": "n0", "title": {"en": "Parks"}}))
    for number in range(2):
        town = {"id": f"town{number}-{uid}", "name": {"en": f"Town {number} {uid}"}, "country": "RU", "lat": 57.6}
        ok(admin.post("/municipalities", json=town | {"lon": 39.9}))
        practice = {"id": f"p{number}-{uid}", "nomination": "n0", "municipality": town["id"], "title": f"Park {number}"}
        ok(admin.post(f"/contests/{contest}/practices", json=practice))
    return contest


def test_moderate_by_keyboard_alone(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = pending_practices(admin, uid)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/admin")
    tab_to(page, page.get_by_label("Operator key"))
    page.keyboard.type(ADMIN_KEY)
    page.keyboard.press("Enter")

    picker = page.get_by_label("Contest", exact=True)
    tab_to(page, picker)
    for _ in range(page.locator("#contest-picker option").count()):  # arrows walk a closed select's options
        if picker.input_value() == contest:
            break
        page.keyboard.press("ArrowDown")
    expect(picker).to_have_value(contest)
    tab_to(page, page.get_by_role("link", name="Moderation", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("#queue [data-status=pending]")).to_have_count(2)

    tab_to(page, page.get_by_role("button", name="Approve Park 0"))
    page.keyboard.press("Enter")
    expect(page.locator(f'#queue [data-practice="p0-{uid}"]')).to_have_attribute("data-status", "approved")
    tab_to(page, page.get_by_role("button", name="Reject Park 1"))
    page.keyboard.press("Enter")
    reason = page.get_by_label("Reason (the municipality sees it)")
    expect(reason).to_be_focused()  # the dialog opens on its field
    page.keyboard.type("Not a municipal practice")
    tab_to(page, page.locator("#dialog").get_by_role("button", name="Reject"))
    page.keyboard.press("Enter")
    rejected = page.locator(f'#queue [data-practice="p1-{uid}"]')
    expect(rejected).to_have_attribute("data-status", "rejected")
    expect(rejected).to_contain_text("Not a municipal practice")
    assert violations == []
    page.close()
