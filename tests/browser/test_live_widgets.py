"""A vote from the public page arrives in leaderboards embedded on another origin (iframe and script)."""

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Route, expect

from tests.browser.conftest import ThirdParty
from tests.browser.watch import csp_violations
from tests.live_helpers import open_contest, vote
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_dev.eventually import eventually_sync


def news_page(gateway: str, contest: str) -> bytes:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>City news</title></head>
<body><h1>City news: the vote is on</h1>
<iframe id="widget" title="Veche leaderboard" width="480" height="320"
        src="{gateway}/embed/contests/{contest}/nominations/n0?lang=ru"></iframe>
<div id="scripted" data-veche-leaderboard="{contest}/n0" data-lang="en"></div>
<div id="polled" data-veche-leaderboard="{contest}/n0" data-veche-transport="poll"></div>
<script src="{gateway}/embed.js"></script></body></html>""".encode()


def test_vote_from_public_page_reaches_embeds_on_another_origin(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, third_party: ThirdParty, uid: str,
    artifacts: Path,
) -> None:  # fmt: skip
    contest = f"web-{uid}"
    [practice] = open_contest(admin, contest)
    third_party.pages["/news.html"] = news_page(platform.url(), contest)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    news = context.new_page()
    news_violations = csp_violations(news)
    news.goto(f"{third_party.url}/news.html")
    frame = news.frame_locator("#widget")
    expect(frame.locator(".veche-board")).to_have_attribute("data-total", "0")
    expect(frame.locator(".veche-board")).to_have_attribute("data-transport", "live")
    expect(news.locator("#scripted .veche-board")).to_have_attribute("data-total", "0")
    expect(news.locator("#polled .veche-board")).to_have_attribute("data-total", "0")
    nomination_page = f"{platform.url()}/ru/contests/{contest}/nominations/n0"
    expect(frame.get_by_role("link", name="Голосовать")).to_have_attribute("href", nomination_page)

    public = context.new_page()
    public_violations = csp_violations(public)
    public.goto(f"{platform.url()}/?contest={contest}&lang=en")
    public.get_by_label("Voter token from the organiser").fill(voter_token(DEMO_KEY, contest, "browser-voter"))
    public.get_by_role("button", name="Use this token").click()
    public.get_by_role("button", name=re.compile(r"^Vote for “Practice 0”")).click()
    expect(public.get_by_role("status").filter(has_text="Your vote is counted. Thank you!")).to_be_in_viewport()
    expect(public.locator("#ballot-text")).to_have_text("You voted for “Practice 0”.")
    expect(public.locator("#board .veche-board")).to_have_attribute("data-total", "1")
    public.screenshot(path=str(artifacts / "public-page-after-vote.png"), full_page=True)

    expect(frame.locator(".veche-board")).to_have_attribute("data-total", "1")
    expect(frame.locator(".veche-row[data-practice='" + practice + "'] .veche-votes")).to_have_text("1")
    expect(frame.locator(".veche-status")).to_have_text("В эфире")
    expect(news.locator("#scripted .veche-board")).to_have_attribute("data-total", "1")
    expect(news.locator("#polled .veche-board")).to_have_attribute("data-total", "1")
    expect(news.locator("#scripted .veche-votes")).to_have_attribute("aria-label", "1 vote")  # Intl.PluralRules
    expect(frame.locator(".veche-votes")).to_have_attribute("aria-label", "1 голос")
    news.screenshot(path=str(artifacts / "embeds-on-another-origin.png"), full_page=True)
    assert news_violations == []
    assert public_violations == []
    context.close()


def test_second_vote_is_refused_on_the_page(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, artifacts: Path
) -> None:
    contest = f"twice-{uid}"
    open_contest(admin, contest)
    context = browser.new_context(color_scheme="dark", locale="ru-RU")
    page = context.new_page()
    page.goto(f"{platform.url()}/?contest={contest}")
    page.get_by_label("Токен избирателя от организатора").fill(voter_token(DEMO_KEY, contest, "twice"))
    page.get_by_role("button", name="Использовать токен").press("Enter")
    earlier = context.new_page()  # the same voter's other tab, opened before the vote
    earlier.goto(f"{platform.url()}/?contest={contest}")
    stale = earlier.get_by_role("button", name=re.compile(r"^Голосовать за «Practice 0»"))
    expect(stale).to_be_visible()  # drawn before the vote below, so it still offers one
    vote = page.get_by_role("button", name=re.compile(r"^Голосовать за «Practice 0»"))
    vote.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Ваш голос учтён. Спасибо!")).to_be_in_viewport()
    expect(page.get_by_role("button", name="✓ Ваш голос: «Practice 0»")).to_be_visible()
    stale.click()
    refused = earlier.get_by_role("status").filter(has_text="Вы уже голосовали в этой номинации.")
    expect(refused).to_be_in_viewport()  # the refusal at the card, not at the top of the page
    earlier.close()
    expect(page.locator("#map circle")).to_have_count(1)
    page.screenshot(path=str(artifacts / "public-page-ru-dark.png"), full_page=True)
    context.close()


def test_the_embed_page_gives_the_snippet_of_the_chosen_nomination(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"snippet-{uid}"
    open_contest(admin, contest, nominations=2)
    page = browser.new_page()
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/embed")
    page.get_by_label("Contest").select_option(contest)
    expect(page.locator("#script-snippet")).to_contain_text(f'data-veche-leaderboard="{contest}/n0"')
    page.get_by_label("“Vote” link").fill("https://city.example/vote")
    page.get_by_label("“Vote” link").dispatch_event("change")
    expect(page.locator("#iframe-snippet")).to_contain_text(
        f"/embed/contests/{contest}/nominations/n0?lang=ru&amp;vote=https"  # & in an attribute, escaped
    )
    expect(page.locator("#preview .veche-board")).to_have_attribute("data-total", "0")
    expect(page.locator("#preview").get_by_role("link", name="Голосовать")).to_have_attribute(
        "href", "https://city.example/vote"
    )
    page.goto(f"{platform.url()}/embed?contest={contest}&nomination=n1")  # the console's link per nomination
    expect(page.get_by_label("Contest")).to_have_value(contest)
    expect(page.locator("#script-snippet")).to_contain_text(f'data-veche-leaderboard="{contest}/n1"')
    assert violations == []
    page.close()


def forged(change: str) -> Callable[[Route], None]:
    """Passes the real leaderboard answer on with one change: "votes" adds 1,000 votes to the first entry (under
    the seal it had), "unsealed" takes the seal away."""

    def handle(route: Route) -> None:
        board = route.fetch().json()
        if change == "votes":
            board["entries"][0]["votes"] += 1000
            board["total_votes"] += 1000
        else:
            board["signature"] = None
        route.fulfill(status=200, content_type="application/json", body=json.dumps(board))

    return handle


def test_the_widget_checks_each_boards_seal_and_refuses_a_forged_one(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"seal-{uid}"
    [practice] = open_contest(admin, contest)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        assert vote(api, contest, "n0", practice, f"sealer-{uid}").status_code == 202
    embed = f"{platform.url()}/embed/contests/{contest}/nominations/n0"
    page = browser.new_page()
    page.goto(f"{embed}?lang=en")
    board = page.locator(".veche-board")
    expect(board).to_have_attribute("data-total", "1", timeout=15_000)
    expect(board).to_have_attribute("data-seal", "logged", timeout=15_000)  # its seal, then its log head
    expect(page.locator(".veche-seal")).to_have_text("✓ Checked against the signed log")
    expect(page.locator(".veche-seal")).to_have_attribute("title", re.compile(r"counted from the first 1 entries"))

    forger = browser.new_page()
    forger.route("**/leaderboard", forged("votes"))
    forger.goto(f"{embed}?lang=ru&transport=poll")
    expect(forger.locator(".veche-board")).to_have_attribute("data-seal", "refused")
    expect(forger.locator(".veche-seal")).to_have_text("Отклонён рейтинг с неверной подписью")
    expect(forger.locator(".veche-row")).to_have_count(0)  # the forged numbers are not shown
    assert forger.locator(".veche-board").get_attribute("data-total") is None

    forger.unroute("**/leaderboard")
    forger.route("**/leaderboard", forged("unsealed"))
    forger.goto(f"{embed}?lang=en&transport=poll")
    expect(forger.locator(".veche-board")).to_have_attribute("data-seal", "unsealed")
    expect(forger.locator(".veche-seal")).to_have_text("Not signed yet")  # shown, and said to be unchecked
    expect(forger.locator(".veche-board")).to_have_attribute("data-total", "1")
    forger.close()
    page.close()


def served(board: dict[str, Any]) -> Callable[[Route], None]:
    """Answers every read of the leaderboard with this (genuine, sealed) board."""
    return lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(board))


def flipped_proof(route: Route) -> None:
    """Passes the real consistency proof on with one bit of its first hash changed."""
    proof = route.fetch().json()
    first = bytearray(base64.b64decode(proof["hashes"][0]))
    first[0] ^= 1
    proof["hashes"][0] = base64.b64encode(bytes(first)).decode()
    route.fulfill(status=200, content_type="application/json", body=json.dumps(proof))


def test_the_widget_checks_that_a_boards_log_head_begins_a_signed_checkpoint(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"head-{uid}"
    [practice] = open_contest(admin, contest)
    nomination = f"/api/v1/contests/{contest}/nominations/n0"
    embed = f"{platform.url()}/embed/contests/{contest}/nominations/n0"
    page = browser.new_page()
    page.goto(f"{embed}?lang=en")  # no ballot yet: an empty log, no checkpoint, and nothing false about it
    expect(page.locator(".veche-board")).to_have_attribute("data-seal", "logged", timeout=15_000)
    page.close()
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        assert vote(api, contest, "n0", practice, f"first-{uid}").status_code == 202
        older = eventually_sync(
            lambda: api.get(f"{nomination}/leaderboard").json(),
            lambda board: board["total_votes"] == 1 and board["signature"] is not None,
            what="the sealed board of one ballot",
        )
        assert vote(api, contest, "n0", practice, f"second-{uid}").status_code == 202
        eventually_sync(
            lambda: api.get(f"{nomination}/log/checkpoint"),
            lambda answer: answer.status_code == 200 and answer.text.split("\n")[1] == "2",
            what="the signed checkpoint of both ballots",
        )
    page = browser.new_page()
    page.route("**/leaderboard", served(older))  # a genuine board, older than the checkpoint: a proof ties them
    page.goto(f"{embed}?lang=en&transport=poll")
    expect(page.locator(".veche-board")).to_have_attribute("data-seal", "logged", timeout=15_000)
    title = re.compile(r"first 1 entries .* signed checkpoint of 2 entries")
    expect(page.locator(".veche-seal")).to_have_attribute("title", title)

    forger = browser.new_page()
    forger.route("**/leaderboard", served(older))
    forger.route(re.compile(r"/log/consistency\?"), flipped_proof)
    forger.goto(f"{embed}?lang=ru&transport=poll")
    expect(forger.locator(".veche-board")).to_have_attribute("data-seal", "forked", timeout=15_000)
    expect(forger.locator(".veche-seal")).to_have_text("Отклонён рейтинг, которого нет в подписанном журнале")
    expect(forger.locator(".veche-row")).to_have_count(0)  # its numbers are taken off
    forger.close()
    page.close()
