"""The organiser's journey in the console, on a desktop and on a phone, with a live contest already running: the
console shows every contest it creates, never another one, at every step; the header always says which contest
and which phase; while voting is open a structural change asks first, and the API refuses one that would change
how ballots already cast are counted."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import ADMIN_KEY
from tests.browser.watch import csp_violations
from tests.live_helpers import ok, open_contest
from veche_dev import devstack

SCREENS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def chosen(page: Page, contest: str, phase: str) -> None:
    """The picker, the header and the view all name `contest` in `phase`."""
    expect(page.get_by_label("Contest", exact=True)).to_have_value(contest)
    status = page.locator("#contest-status")
    expect(status).to_have_attribute("data-contest", contest)
    expect(status).to_have_attribute("data-phase", phase)


def open_view(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("screen", SCREENS)
def test_created_contest_stays_chosen_and_the_live_one_is_guarded(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, screen: str
) -> None:
    live, new = f"live-{screen}-{uid}", f"new-{screen}-{uid}"
    open_contest(admin, live, nominations=1)
    live_before = ok(admin.get(f"/contests/{live}"))
    page = browser.new_page(viewport=SCREENS[screen], locale="en-GB", is_mobile=screen == "phone")
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/admin")
    page.get_by_label("Operator key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=f"Manage Contest {live}").click()  # the organiser looked at the live one first
    chosen(page, live, "voting_open")
    expect(page.locator("#contest-status")).to_contain_text("voting open")

    open_view(page, "Contests")
    expect(page.locator("#message")).to_have_text("")  # nothing of the last view stays up
    page.get_by_label("Title (Russian)").fill("Весенний опрос 2027")
    page.get_by_label("Title (English)").fill("Spring poll")
    expect(page.get_by_label("Id (letters, digits, - and _)")).to_have_value("vesennii-opros-2027")  # from the title
    page.get_by_label("Id (letters, digits, - and _)").fill(new)
    expect(page.get_by_label("How voters prove who they are")).to_have_value("device")  # no identity provider needed
    expect(page.locator(".mode-what")).to_contain_text("Anyone may vote without an account")
    expect(page.get_by_label("Device check difficulty (work a browser does before voting)")).to_have_value("10000")
    expect(page.get_by_text("About 3.2 s on a mid-range phone")).to_be_visible()
    page.get_by_label("Main language of the contest's texts").select_option("en")
    page.get_by_role("button", name="Create contest").click()
    expect(page.locator("#message")).to_contain_text(f"Contest {new} created")
    chosen(page, new, "draft")
    created = ok(admin.get(f"/contests/{new}"))
    settings = (created["identity_mode"], created["device_difficulty"], created["default_language"])
    assert settings == ("device", 10000, "en")
    expect(page.get_by_label("Expected token audience (aud)")).to_be_hidden()  # another mode's field
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring poll")

    page.get_by_label("Description (English)").fill("Which park gets new benches?")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#message")).to_have_text("Saved.")
    chosen(page, new, "draft")
    assert ok(admin.get(f"/contests/{new}"))["description"] == {"en": "Which park gets new benches?"}

    open_view(page, "Nominations")
    chosen(page, new, "draft")
    page.get_by_label("Id (letters, digits, - and _)").fill("parks")
    page.get_by_label("Title (English)").fill("Parks")
    page.get_by_role("button", name="Add nomination").click()
    expect(page.locator('#nomination-list tr[data-nomination="parks"]')).to_contain_text("Parks")
    chosen(page, new, "draft")
    assert [n["id"] for n in ok(admin.get(f"/contests/{new}/nominations"))] == ["parks"]
    assert [n["id"] for n in ok(admin.get(f"/contests/{live}/nominations"))] == ["n0"]
    assert ok(admin.get(f"/contests/{live}"))["version"] == live_before["version"]

    page.reload()  # the choice survives a reload of the tab
    chosen(page, new, "draft")

    # the live contest: marked as live; a change asks in words first, and Cancel changes nothing
    page.get_by_label("Contest", exact=True).select_option(live)
    chosen(page, live, "voting_open")
    expect(page.locator("#contest-status.live")).to_be_visible()
    open_view(page, "Settings and phase")
    page.get_by_label("Title (English)").fill("Renamed while live")
    page.get_by_role("button", name="Save settings").click()
    dialog = page.locator("#dialog")
    expect(dialog).to_contain_text("Voting is open")
    expect(dialog).to_contain_text("Title")
    dialog.get_by_role("button", name="Cancel").click()
    assert ok(admin.get(f"/contests/{live}"))["version"] == live_before["version"]
    # its end may not be moved into the past while it is open: refused in words, nothing changed
    page.reload()
    chosen(page, live, "voting_open")
    closes = page.get_by_label("Voting closes at")
    expect(page.locator(f"#{closes.get_attribute('aria-describedby')}")).to_contain_text("not to a moment already past")
    closes.fill((datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT10:00"))  # past in any time zone
    page.get_by_role("button", name="Save settings").click()
    expect(dialog).to_contain_text("Voting closes at")
    dialog.get_by_role("button", name="Change it now").click()
    expect(page.locator("#dialog-error")).to_contain_text("its end cannot be set to a moment already past")
    dialog.get_by_role("button", name="Cancel").click()
    assert ok(admin.get(f"/contests/{live}"))["version"] == live_before["version"]
    open_view(page, "Nominations")
    embed = page.get_by_role("link", name="Embed snippet for Nomination 0")
    expect(embed).to_have_attribute("href", "#/embed/n0")  # the console's embed helper
    page.get_by_role("button", name="Archive nomination Nomination 0").click()
    expect(dialog).to_contain_text("Voting is open")
    dialog.get_by_role("button", name="Archive").click()
    expect(page.locator("#dialog-error")).to_contain_text("ballots")  # the API refuses: 409 ballots_counted
    dialog.get_by_role("button", name="Cancel").click()
    assert ok(admin.get(f"/contests/{live}/nominations"))[0]["archived"] is False
    chosen(page, live, "voting_open")
    assert violations == []
    page.close()
