"""Every page against axe-core (no serious or critical violation) and the non-text contrast of its fields (3:1,
which axe does not check), and /docs from the gateway's own files."""

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.browser.contrast import weak_fields
from tests.browser.watch import Scheme, csp_violations
from tests.live_helpers import open_contest
from veche_dev import devstack


def requests_elsewhere(page: Page, origin: str) -> list[str]:
    """The URLs the page asks for outside the gateway (a CDN, a validator, fonts)."""
    found: list[str] = []

    def on_request(request: Request) -> None:
        if not request.url.startswith((origin + "/", "data:")):
            found.append(request.url)

    page.on("request", on_request)
    return found


def test_swagger_ui_from_the_gateways_own_files(browser: Browser, platform: devstack.Platform) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations, elsewhere = csp_violations(page), requests_elsewhere(page, platform.url())
    answer = page.goto(f"{platform.url()}/docs")
    assert answer is not None
    assert answer.status == 200
    policy = answer.headers["content-security-policy"]
    assert "http" not in policy  # no CDN allowed in
    assert "unsafe-inline" not in policy
    # the first render waits for the document, made on first request, and 1.7 MB of script on a busy machine
    expect(page.locator(".opblock-tag-section").first).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20  # every operation of the document, public and admin
    page.locator(".opblock-summary").first.click()  # an operation opens: Swagger UI's scripts run under the CSP
    expect(page.locator(".opblock.is-open")).to_have_count(1)
    assert_accessible(page)
    assert violations == []
    assert elsewhere == []
    page.close()
    with httpx.Client(base_url=platform.url()) as client:
        assert client.get("/redoc").status_code == 404  # ReDoc needs inline styles: not served
        assert client.get("/docs/oauth2-redirect").status_code == 404


def signed_in_ops(page: Page, url: str, contest: str) -> None:
    page.goto(f"{url}/ops?contest={contest}")  # the console's operations view
    page.get_by_label("Operator key").fill(OBSERVER_KEY)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator('#ops-services tr[data-service="gateway"]')).to_have_attribute("data-ready", "true")


PAGES: dict[str, Callable[[Page, str, str], object]] = {
    "public": lambda page, url, contest: page.goto(f"{url}/?contest={contest}&lang=en"),
    "public-ru-dark": lambda page, url, contest: page.goto(f"{url}/?contest={contest}&lang=ru"),
    "embed": lambda page, url, contest: page.goto(f"{url}/embed/contests/{contest}/nominations/n0"),
    "ops": signed_in_ops,
    "ops-dark": signed_in_ops,
    "embed-dark": lambda page, url, contest: page.goto(f"{url}/embed/contests/{contest}/nominations/n0?lang=ru"),
    "embed-snippets": lambda page, url, contest: page.goto(f"{url}/embed"),
    "contest-list": lambda page, url, contest: page.goto(f"{url}/en/"),
    "contest-list-ru-dark": lambda page, url, contest: page.goto(f"{url}/ru/?status=voting_open"),
    "practice": lambda page, url, contest: page.goto(
        f"{url}/en/contests/{contest}/nominations/n0/practices/p0-{contest}"
    ),
    "practice-ru-dark": lambda page, url, contest: page.goto(
        f"{url}/ru/contests/{contest}/nominations/n0/practices/p0-{contest}"
    ),
    "embed-snippets-dark": lambda page, url, contest: page.goto(f"{url}/embed"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_axe_violations(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, name: str
) -> None:
    contest = f"axe-{uid}"
    open_contest(admin, contest)
    scheme: Scheme = "dark" if name.endswith("dark") else "light"  # both themes' colours must keep their contrast
    page = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    violations = csp_violations(page)
    PAGES[name](page, platform.url(), contest)
    if not name.startswith("ops"):  # /ops refreshes every few seconds: never idle; signed_in_ops waits for its data
        page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert weak_fields(page) == []
    assert violations == []
    page.context.close()


STRAY_NULLS = """() => document.evaluate("count(//*[@id='view']//text()[normalize-space(.)='null'])", document,
  null, XPathResult.NUMBER_TYPE, null).numberValue"""


def signed_in_console(page: Page, url: str, key: str) -> None:
    page.goto(f"{url}/admin")
    page.get_by_label("Operator key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#console")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_console_views_and_dialog_have_no_serious_axe_violations(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, scheme: Scheme
) -> None:
    contest = f"axe-console-{uid}"
    open_contest(admin, contest, pending=1)
    page = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    violations = csp_violations(page)
    signed_in_console(page, platform.url(), ADMIN_KEY)
    page.locator("#contest-picker").select_option(contest)
    for view in page.locator("#views a").all_inner_texts():
        page.get_by_role("link", name=view, exact=True).click()
        expect(page.get_by_role("link", name=view, exact=True)).to_have_attribute("aria-current", "page")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(STRAY_NULLS) == 0  # a missing value reads as nothing: not "null" (DOM append(null))
        assert_accessible(page)
        assert weak_fields(page) == [], view
    page.get_by_role("link", name="Moderation", exact=True).click()
    page.get_by_role("button", name="Reject Later").click()
    expect(page.locator("#dialog")).to_be_visible()
    assert_accessible(page)
    assert violations == []
    page.context.close()
