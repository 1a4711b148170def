"""Moderation with names and contacts, and a practice an organiser submits for a municipality: the moderator reads
the municipality's name and the contact e-mail (an observer does not), submits a practice found by the
municipality's name, sees it in the queue and finds the action recorded as done on the municipality's behalf."""

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.browser.console.console_helpers import sign_in
from tests.live_helpers import ok
from veche_dev import devstack

pytestmark = pytest.mark.browser


def test_moderator_reads_names_and_contacts_and_submits_for_a_municipality(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"practices-{uid}"
    ok(admin.post("/contests", json={"id": contest, "title": {"en": "Practices"}}))
    ok(admin.post(f"/contests/{contest}/nominations", json={"id": "parks", "title": {"en": "Parks"}}))
    towns: list[dict[str, Any]] = [
        {"id": f"{name.lower()}-{uid}", "name": {"en": f"{name} {uid}"}, "country": "RU", "lat": 56.0, "lon": 44.0}
        for name in ("Tver", "Vologda")
    ]
    for town in towns:
        ok(admin.post("/municipalities", json=town))
    mailed = {"id": f"mailed-{uid}", "nomination": "parks", "municipality": towns[0]["id"], "title": "Benches",
              "contact": "parks@tver.example", "links": ["https://tver.example/benches"]}  # fmt: skip
    ok(admin.post(f"/contests/{contest}/practices", json=mailed))

    page, violations = sign_in(browser, platform, ADMIN_KEY)
    page.get_by_label("Contest", exact=True).select_option(contest)
    page.get_by_role("link", name="Moderation", exact=True).click()
    card = page.locator(f'#queue [data-practice="{mailed["id"]}"]')
    expect(card.locator(".card-city")).to_have_text(f"Tver {uid} · Parks")  # the name, not the id
    expect(card.get_by_role("link", name="parks@tver.example")).to_have_attribute("href", "mailto:parks@tver.example")

    form = page.locator("#new-practice")
    form.get_by_label("Municipality", exact=True).fill(f"Vologda {uid}"[:10])
    expect(form.locator(f'datalist option[value="{towns[1]["id"]}"]')).to_have_count(1)
    form.get_by_label("Municipality", exact=True).fill(towns[1]["id"])
    form.get_by_label("Title (English)").fill("Lace school")
    form.get_by_label("Description (English)").fill("Lace-making lessons for children.")
    form.get_by_label("Links, one a line (https://…)").fill("https://vologda.example/lace")
    form.get_by_label("Contact e-mail for moderators (never published)").fill("lace@vologda.example")
    form.get_by_role("button", name="Submit practice").click()
    expect(page.locator("#message")).to_contain_text("Practice “Lace school” submitted")
    made = page.locator("#queue .card", has_text="Lace school")
    expect(made).to_have_attribute("data-status", "pending")
    expect(made.locator(".card-city")).to_have_text(f"Vologda {uid} · Parks")
    expect(made.get_by_role("link", name="lace@vologda.example")).to_be_visible()
    made.get_by_text("Description and links of Lace school").click()
    expect(made.get_by_role("link", name="https://vologda.example/lace")).to_be_visible()
    made.get_by_role("button", name="Edit Lace school").click()
    page.locator("#dialog").get_by_label("Title (English)").fill("Lace school for children")
    page.locator("#dialog").get_by_role("button", name="Save").click()
    corrected = page.locator("#queue .card", has_text="Lace school for children")
    expect(corrected).to_have_attribute("data-status", "pending")
    assert_accessible(page)
    edits = ok(admin.get("/audit", params={"contest": contest, "action": "edit_practice_for_municipality"}))
    assert edits["entries"][-1]["change"]["title"]["en"] == "Lace school for children"
    entries = ok(admin.get("/audit", params={"contest": contest, "action": "submit_practice_for_municipality"}))
    # submissions records the submission itself: its target names the municipality, its answer the practice
    assert any(e["target"]["municipality"] == towns[1]["id"] and e["operator"] for e in entries["entries"]), entries
    assert violations == []
    page.close()

    page, _ = sign_in(browser, platform, OBSERVER_KEY)
    page.get_by_label("Contest", exact=True).select_option(contest)
    page.get_by_role("link", name="Moderation", exact=True).click()
    expect(page.locator(f'#queue [data-practice="{mailed["id"]}"] .card-city')).to_contain_text(f"Tver {uid}")
    expect(page.locator(".card-contact")).to_have_count(0)  # the contact is for moderators only
    expect(page.locator("#new-practice")).to_have_count(0)
    page.close()
