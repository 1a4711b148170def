"""'My ballot' in the public count: the voter votes on the page, asks for the check, and the page verifies in
Chromium's WebCrypto that the ballot is in the nomination's log under a checkpoint the log key signed; a proof
with one byte changed, or a checkpoint signed by another key, is reported as a failed check, in both languages."""

import base64
import json
import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.live_helpers import ok, open_contest, running_platform, vote
from veche_dev import devstack
from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_dev.eventually import eventually_sync
from veche_shared.tlog.keys import DEV_LOG_SIGNER
from veche_shared.tlog.note import Signer, sign_note, split_note

VERIFIED = re.compile(r"^Verified in this browser: your ballot is in the count signed at .+ — entry 3 of 3\. ")
FORGER = Signer.generate(DEV_LOG_SIGNER.name)  # the log key's name, another key


@pytest.fixture(scope="module")
def platform(infra: dict[str, str]) -> Iterator[devstack.Platform]:
    env = {"VECHE_GATEWAY_VOTER_TOKEN_FIELD": "true", "VECHE_RESULTS_CHECKPOINT_INTERVAL": "0.3"}
    with running_platform(infra, "proof", ADMIN_KEY, OBSERVER_KEY, **env) as started:
        yield started


def tampered(change: str) -> Callable[[Route], None]:
    """A route handler that passes the real inclusion answer on with one change: "hash" flips a bit of the proof's
    first hash, "key" re-signs the same checkpoint with another key."""

    def handle(route: Route) -> None:
        proof = route.fetch().json()
        if change == "hash":
            first = bytearray(base64.b64decode(proof["hashes"][0]))
            first[7] ^= 0x10
            proof["hashes"][0] = base64.b64encode(bytes(first)).decode()
        else:
            proof["checkpoint"] = sign_note(split_note(proof["checkpoint"])[0], FORGER)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(proof))

    return handle


def check(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Check my ballot|Проверить мой бюллетень)")).click()


def test_the_page_verifies_my_ballot_and_refuses_a_changed_proof_or_key(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"proof-{uid}"
    [practice] = open_contest(admin, contest)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for voter in ("first", "second"):  # two entries before mine: the proof has hashes to change
            assert vote(api, contest, "n0", practice, f"{voter}-{uid}").status_code == 202
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{platform.url()}/en/contests/{contest}")
    page.get_by_label("Voter token from the organiser").fill(voter_token(DEMO_KEY, contest, f"me-{uid}"))
    page.get_by_role("button", name="Use this token").click()
    page.get_by_role("button", name=re.compile(r"^Vote for “Practice 0”")).click()
    expect(page.locator("#ballot-text")).to_have_text("You voted for “Practice 0”.")

    result = page.locator("#proof-text")
    check(page)  # the page waits for the checkpoint that holds the ballot if it is not signed yet
    expect(result).to_have_text(VERIFIED, timeout=20_000)
    expect(result).to_contain_text(f"the platform's key {DEV_LOG_SIGNER.name}+")
    expect(page.locator("#proof")).to_have_attribute("data-outcome", "verified")

    page.route("**/log/inclusion?*", tampered("hash"))
    check(page)
    expect(result).to_have_text(
        "Check FAILED: the proof does not lead from your ballot to the signed count. "
        "Keep this page and your receipt, and tell the organiser and the observers."
    )
    expect(page.locator("#proof")).to_have_attribute("data-outcome", "failed")

    page.unroute("**/log/inclusion?*")
    page.route("**/log/inclusion?*", tampered("key"))
    page.get_by_role("button", name="RU").click()
    expect(page.locator("#ballot-text")).to_have_text("Вы проголосовали за «Practice 0».")
    check(page)
    expect(result).to_have_text(re.compile(r"^Проверка НЕ ПРОЙДЕНА: подсчёт не подписан ключом платформы \S+\+"))

    page.unroute("**/log/inclusion?*")
    check(page)
    expect(result).to_have_text(re.compile(r"^Проверено в этом браузере: ваш бюллетень учтён в подсчёте, подписанном "))
    expect(result).to_contain_text("запись 3 из 3")

    for phase in ("voting_closed", "results_published"):  # then the proof is against the certified checkpoint
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
    certificate = f"{platform.url()}/api/v1/contests/{contest}/certificate"
    eventually_sync(lambda: httpx.get(certificate), lambda r: r.status_code == 200, what="the certificate")
    page.goto(f"{platform.url()}/en/contests/{contest}")
    check(page)
    certified = r"^Verified in this browser: your ballot is in the certified count — entry 3 of 3, the final checkpoint"
    expect(result).to_have_text(re.compile(certified + r" of the certificate\. "))
    page.close()
