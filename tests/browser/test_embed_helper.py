"""The console's embed helper in headless Chromium: an organiser chooses theme, language and size for a nomination,
sees the live preview, copies the snippet, and the copied snippet, pasted into a page on another origin, shows the
working live board as chosen (script and iframe); at 1,440 and 390 px, axe-clean in both themes."""

from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY, ThirdParty
from tests.browser.watch import csp_violations
from tests.live_helpers import open_contest, vote
from veche_dev import devstack

WHITE, DARK = "rgb(255, 255, 255)", "rgb(22, 25, 29)"  # embed.css: --veche-bg light and dark
BACKGROUND = "e => getComputedStyle(e).backgroundColor"


def hosted(third_party: ThirdParty, name: str, snippet: str) -> str:
    """A page of another site holding the snippet as copied; its address."""
    page = f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>City news</title></head><body>' \
        f"<h1>City news</h1>\n{snippet}\n</body></html>"  # fmt: skip
    third_party.pages[f"/{name}.html"] = page.encode()
    return f"{third_party.url}/{name}.html"


def copied(page: Page) -> str:
    page.get_by_role("button", name="Copy the snippet").click()
    expect(page.locator("#embed-status")).to_have_text("Copied: paste it into the other site's page.")
    text: str = page.evaluate("navigator.clipboard.readText()")
    assert text == page.locator("#embed-snippet").text_content()
    return text


def accessible_in_both_themes(page: Page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, exclude=("#embed-preview",))  # the widget is checked on its own pages
    page.emulate_media(color_scheme="dark")


def console(context: BrowserContext, platform: devstack.Platform, contest: str) -> Page:
    page = context.new_page()
    page.goto(f"{platform.url()}/admin#/nominations")
    page.get_by_label("Operator key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Contest", exact=True).select_option(contest)
    page.get_by_role("link", name="Embed snippet for Nomination 1").click()
    expect(page.get_by_label("Nomination", exact=True)).to_have_value("n1")
    return page


def test_the_copied_snippet_shows_the_chosen_live_board_on_another_site(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, third_party: ThirdParty, uid: str,
    docs_img: Path,
) -> None:  # fmt: skip
    contest = f"embed-{uid}"
    practices = open_contest(admin, contest, nominations=2)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        assert vote(api, contest, "n1", practices[1], f"v-{uid}").status_code == 202
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="dark", locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=platform.url())
    page = console(context, platform, contest)
    violations = csp_violations(page)

    page.get_by_label("Theme", exact=True).select_option("light")
    page.get_by_label("Language", exact=True).select_option("ru")
    page.get_by_label("Size", exact=True).select_option("small")
    snippet = page.locator("#embed-snippet")
    expect(snippet).to_contain_text(f'data-veche-leaderboard="{contest}/n1" data-lang="ru" class="veche-light"')
    expect(snippet).to_contain_text('style="max-width:320px"')
    board = page.locator("#embed-target .veche-board")
    expect(board).to_have_attribute("data-total", "1")  # the live preview, light in a dark console
    assert board.evaluate(BACKGROUND) == WHITE
    expect(page.locator("#embed-target").get_by_role("link", name="Голосовать")).to_be_visible()
    accessible_in_both_themes(page)
    script = copied(page)
    page.screenshot(path=str(docs_img / "console-embed.png"), full_page=True)

    news = context.new_page()  # the visitor prefers dark; the snippet asks for light
    news_violations = csp_violations(news)
    news.goto(hosted(third_party, f"script-{uid}", script))
    widget = news.locator(f'[data-veche-leaderboard="{contest}/n1"] .veche-board')
    expect(widget).to_have_attribute("data-total", "1")
    expect(widget.locator(".veche-votes")).to_have_attribute("aria-label", "1 голос")
    expect(widget.get_by_role("link", name="Голосовать")).to_have_attribute(
        "href", f"{platform.url()}/ru/contests/{contest}/nominations/n1"
    )
    assert widget.evaluate(BACKGROUND) == WHITE
    assert widget.evaluate("e => e.getBoundingClientRect().width") <= 320

    page.get_by_label("Form", exact=True).select_option("iframe")
    page.get_by_label("Theme", exact=True).select_option("dark")
    page.get_by_label("Language", exact=True).select_option("en")
    page.get_by_label("Size", exact=True).select_option("large")
    page.get_by_label("“Vote” link").fill("none")
    page.get_by_label("“Vote” link").dispatch_event("change")
    expect(snippet).to_contain_text(f"/embed/contests/{contest}/nominations/n1?lang=en&amp;theme=dark&amp;vote=none")
    expect(snippet).to_contain_text('height="480" loading="lazy" style="border:0; max-width:720px"')
    expect(page.frame_locator("#embed-frame").locator(".veche-board")).to_have_attribute("data-total", "1")
    iframe = copied(page)

    light = browser.new_context(viewport={"width": 1100, "height": 900}, color_scheme="light")
    news = light.new_page()  # the visitor prefers light; the snippet asks for dark
    news_violations += csp_violations(news)
    news.goto(hosted(third_party, f"iframe-{uid}", iframe))
    assert news.locator("iframe").get_attribute("height") == "480"
    framed = news.frame_locator("iframe").locator(".veche-board")
    expect(framed).to_have_attribute("data-total", "1")
    expect(framed.locator(".veche-votes")).to_have_attribute("aria-label", "1 vote")
    expect(framed.locator(".veche-vote")).to_be_hidden()  # vote=none: no button
    assert framed.evaluate(BACKGROUND) == DARK

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessible_in_both_themes(page)
    assert violations == []
    assert news_violations == []
    light.close()
    context.close()
