"""The older pages in light and dark themes, in every state a person meets (a practice pending, approved,
rejected, withdrawn; a field refused; a vote cast; voting closed; results published): axe-core finds no serious
or critical violation, and every text field stands out from its background by 3:1 (WCAG 1.4.11, which axe does
not check)."""

import re
from typing import Literal

import httpx
import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from tests.browser.axe import assert_accessible
from tests.browser.contrast import weak_fields
from tests.browser.journey_helpers import seed
from tests.browser.municipality_helpers import contest_taking_submissions
from tests.live_helpers import ok
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token

Scheme = Literal["light", "dark"]
SCHEMES: list[Scheme] = ["light", "dark"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_municipality_page_with_a_practice_in_every_status(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, scheme: Scheme
) -> None:
    key = contest_taking_submissions(admin, uid)
    with httpx.Client(base_url=platform.url() + "/api/v1", headers={"X-API-Key": key}, timeout=15) as me:
        for status in ("pending", "approved", "rejected", "withdrawn"):  # one practice per nomination each
            ok(admin.post(f"/contests/mun-{uid}/nominations", json={"id": status, "title": {"en": status.title()}}))
            draft = {"id": f"{status}-{uid}", "nomination": status, "title": f"Practice {status}"}
            ok(me.post(f"/municipality/contests/mun-{uid}/practices", json=draft))
        ok(me.post(f"/municipality/practices/withdrawn-{uid}/withdraw", json={"expected_version": 1}))
    ok(admin.post(f"/practices/approved-{uid}/approve", json={}))
    ok(admin.post(f"/practices/rejected-{uid}/reject", json={"reason": "Please add numbers"}))
    page = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="en-GB").new_page()
    page.goto(f"{platform.url()}/municipality")
    assert weak_fields(page) == []
    page.get_by_label("Invitation key").fill("vmk_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The key was not accepted")  # the error's colour too
    assert_accessible(page)
    page.get_by_label("Invitation key").fill(key)
    page.keyboard.press("Enter")
    expect(page.locator("#practices tr")).to_have_count(4)
    for status in ("pending", "approved", "rejected", "withdrawn"):
        expect(page.locator(f'#practices tr[data-status="{status}"]')).to_have_count(1)
    page.get_by_role("button", name="Submit", exact=True).click()  # a refused field: its red border and words
    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert weak_fields(page) == []
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_voting_pages_voted_closed_and_published(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, scheme: Scheme
) -> None:
    contest = f"tint-{uid}"
    practices = seed(admin, contest)
    size: ViewportSize = {"width": 390, "height": 844}
    page = browser.new_context(viewport=size, color_scheme=scheme, locale="en-GB").new_page()
    page.goto(f"{platform.url()}/en/contests/{contest}/nominations/n0/practices/{practices['perm']}")
    assert weak_fields(page) == []  # the token field of the vote box
    page.get_by_label("Voter token from the organiser").fill(voter_token(DEMO_KEY, contest, "tint"))
    page.get_by_role("button", name="Use this token").click()
    page.get_by_role("button", name="Vote for this practice").click()
    expect(page.locator("#vote-box .vote")).to_have_text("✓ Your vote")
    assert_accessible(page)

    page.goto(f"{platform.url()}/en/contests/{contest}")
    expect(page.get_by_role("button", name=re.compile("^✓ Your vote"))).to_be_visible()
    expect(page.locator('#cards .vote[data-state="other"]')).to_have_count(1)  # "You voted for …"
    assert_accessible(page)
    assert weak_fields(page) == []
    for phase in ("voting_closed", "results_published"):
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
        page.reload()
        expect(page.locator("#contest-phase")).not_to_have_text("Voting is open")
        assert_accessible(page)
    page.goto(f"{platform.url()}/en/contests/{contest}/results")
    expect(page.locator(".state")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{platform.url()}/en/?status=results_published")
    assert weak_fields(page) == []
    assert_accessible(page)
    page.context.close()
