"""A practice's photos from upload to the public page, on a phone (390 x 844) and a desktop (1440 x 900): the
municipality's representative uploads one to a pending practice (what is not a photo is refused in words at the
field), the console's moderation queue shows it with its text alternative, and once approved the practice's own
page shows it; before approval the public cannot read it."""

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY
from tests.browser.console.console_helpers import sign_in
from tests.browser.municipality_helpers import contest_taking_submissions
from tests.browser.watch import csp_violations
from tests.live_helpers import ok
from veche_dev import devstack

SIZES: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
ALT = "A courtyard full of tulips"


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=SIZES[request.param], locale="en-GB")
    yield context.new_page()
    context.close()


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "PNG")
    return out.getvalue()


def loaded(page: Page, selector: str) -> None:
    """The image is there, not only its alternative text: loaded, and decoded to some width."""
    image = page.locator(selector).first
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("image => image.naturalWidth") > 0, selector


def test_a_photo_goes_from_the_municipality_through_moderation_to_the_practice_page(
    page: Page, browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, docs_img: Path
) -> None:
    key = contest_taking_submissions(admin, uid)
    draft = {"id": f"yard-{uid}", "nomination": "green", "title": "Courtyards in bloom"}
    with httpx.Client(base_url=platform.url() + "/api/v1", headers={"X-API-Key": key}, timeout=15) as me:
        ok(me.post(f"/municipality/contests/mun-{uid}/practices", json=draft))
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/municipality")
    page.get_by_label("Invitation key").fill(key)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Photos (0): Courtyards in bloom").click()
    panel = page.get_by_role("region", name="Photos of “Courtyards in bloom”")
    expect(panel.get_by_role("heading")).to_be_focused()
    field = panel.get_by_label("Photo (JPEG, PNG or WebP)")
    field.set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"})
    panel.get_by_role("button", name="Upload the photo").click()
    expect(panel.locator("#photo-file-error")).to_have_text("Only JPEG, PNG or WebP photos can be uploaded.")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.set_input_files({"name": "broken.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8 not really"})
    panel.get_by_role("button", name="Upload the photo").click()  # the gateway's 422, said at the field
    expect(panel.locator("#photo-file-error")).to_contain_text("The file is not a photo we can read")
    field.set_input_files({"name": "tulips.png", "mimeType": "image/png", "buffer": png("orange")})
    panel.get_by_label("What the photo shows (read aloud to people who cannot see it)").fill(ALT)
    panel.get_by_role("button", name="Upload the photo").click()
    expect(panel.get_by_role("status")).to_have_text("The photo is added.")
    expect(panel.get_by_role("img", name=ALT)).to_be_visible()
    loaded(page, "#photo-list img")
    expect(page.get_by_role("button", name="Photos (1): Courtyards in bloom")).to_be_visible()
    assert_accessible(page)
    if page.viewport_size and page.viewport_size["width"] > 500:
        panel.screenshot(path=str(docs_img / "municipality-photos.png"))
    assert violations == []

    [practice] = ok(admin.get(f"/contests/mun-{uid}/practices"))["items"]
    [photo] = practice["photos"]
    public = f"{platform.url()}/api/v1/practices/{draft['id']}/photos/{photo['id']}/thumb"
    assert httpx.get(public, timeout=15).status_code == 404  # nothing public before approval

    console, console_violations = sign_in(browser, platform, ADMIN_KEY)
    console.get_by_label("Contest", exact=True).select_option(f"mun-{uid}")
    console.get_by_role("link", name="Moderation", exact=True).click()
    card = console.locator(f'#queue [data-practice="{draft["id"]}"]')
    expect(card.get_by_role("list", name="Photos of Courtyards in bloom").get_by_role("img", name=ALT)).to_be_visible()
    loaded(console, f'#queue [data-practice="{draft["id"]}"] .card-photos img')
    assert_accessible(console, include=("#queue",))
    card.get_by_role("button", name="Approve Courtyards in bloom").click()
    expect(card.locator(".status")).to_have_text("approved")
    assert console_violations == []
    console.close()

    page.goto(f"{platform.url()}/en/contests/mun-{uid}/nominations/green/practices/{draft['id']}")
    expect(page.get_by_role("region", name="Photos").get_by_role("img", name=ALT)).to_be_visible()
    loaded(page, ".photos img")
    assert httpx.get(public, timeout=15).status_code == 200
    assert_accessible(page)
