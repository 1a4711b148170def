"""An approval nomination ("choose up to 3") on the public page, by keyboard alone: toggles with aria-pressed, the
counter in a live region, the set confirmed before it is sent as one ballot; axe finds nothing blocking."""

from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.axe import axe_violations
from tests.browser.keyboard import tab_to
from tests.browser.watch import csp_violations
from tests.live_helpers import ok
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_dev.eventually import eventually_sync

TOWNS = ("Kostroma", "Pskov", "Tula", "Kaluga")  # unique in a country: no other module of the platform uses them


def approval_contest(admin: httpx.Client, contest: str) -> list[str]:
    """An open jwt contest whose nomination n0 approves up to 3 of four practices, "Practice 0" to "Practice 3"."""
    ok(admin.post("/contests", json={"id": contest, "title": {"en": f"Budget {contest}"}, "identity_mode": "jwt"}))
    nomination = {"id": "n0", "title": {"en": "Parks"}, "max_choices": 3, "min_choices": 1}
    ok(admin.post(f"/contests/{contest}/nominations", json=nomination))
    practices: list[str] = []
    for number, name in enumerate(TOWNS):
        town = {"id": f"t{number}-{contest}", "name": {"en": name}, "country": "RU", "lat": 58.0}
        ok(admin.post("/municipalities", json=town | {"lon": 50.0 + number}))
        practice = {"id": f"p{number}-{contest}", "nomination": "n0", "municipality": f"t{number}-{contest}"}
        ok(admin.post(f"/contests/{contest}/practices", json=practice | {"title": f"Practice {number}"}))
        ok(admin.post(f"/practices/{practice['id']}/approve", json={}))
        practices.append(practice["id"])
    for phase in ("submissions_open", "voting_open"):
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
    return practices


def test_choose_three_by_keyboard_and_confirm(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, docs_img: Path
) -> None:
    contest = f"appr-{uid}"
    practices = approval_contest(admin, contest)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/?contest={contest}&lang=en")
    tab_to(page, page.get_by_label("Voter token from the organiser"))
    page.keyboard.type(voter_token(DEMO_KEY, contest, f"approver-{uid}"))
    page.keyboard.press("Enter")

    counter = page.locator("#choice-count")
    expect(page.locator("#choice-rule")).to_have_text("Choose up to 3 practices; your ballot counts once for each.")
    expect(counter).to_have_text("0 of 3 chosen")
    expect(page.get_by_role("button", name="Review my choice")).to_be_disabled()
    for number in (2, 0, 3):
        toggle = page.get_by_role("button", name=f"Choose “Practice {number}” ({TOWNS[number]})")
        tab_to(page, toggle)
        page.keyboard.press("Space")
        expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(counter).to_have_text("3 of 3 chosen — the most this nomination allows")
    expect(page.get_by_role("button", name="Choose “Practice 1” (Pskov)")).to_be_disabled()
    second = page.get_by_role("button", name="Choose “Practice 0” (Kostroma)")
    tab_to(page, second, backwards=True)
    page.keyboard.press("Enter")  # un-choose one, and choose it again
    expect(counter).to_have_text("2 of 3 chosen")
    page.keyboard.press("Enter")
    expect(counter).to_have_text("3 of 3 chosen — the most this nomination allows")

    tab_to(page, page.get_by_role("button", name="Review my choice"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#confirm-heading")).to_be_focused()
    expect(page.locator("#confirm-list li")).to_have_text(["Practice 0", "Practice 2", "Practice 3"])
    assert axe_violations(page) == []
    page.locator("#practices").screenshot(path=str(docs_img / "public-approval-ballot.png"))

    tab_to(page, page.get_by_role("button", name="Cast this ballot"))
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_have_text("Your vote is counted. Thank you!")
    expect(page.locator("#ballot-text")).to_have_text("You voted for “Practice 0”, “Practice 2”, “Practice 3”.")
    expect(page.locator(".card.chosen")).to_have_count(3)
    assert violations == []
    page.close()

    leaderboard = f"{platform.url()}/api/v1/contests/{contest}/nominations/n0/leaderboard"
    # the 202 means stored in the ledger; the board counts it a moment later
    board = eventually_sync(lambda: httpx.get(leaderboard).json(), lambda b: b["total_ballots"] == 1, what="counted")
    assert board["total_ballots"] == 1
    assert {e["practice"]: e["votes"] for e in board["entries"]} == {
        practices[0]: 1,
        practices[1]: 0,
        practices[2]: 1,
        practices[3]: 1,
    }
