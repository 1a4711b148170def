"""The results protocol: preliminary from the console while the results are not published (and nowhere public),
then the certified protocol from the public page and as a PDF whose text names the standings, the tie, the digest
and the signatures, in each of the contest's languages."""

import functools
import io

import httpx
import pytest
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY
from tests.browser.watch import Scheme, csp_violations
from tests.live_helpers import ok, open_contest, vote
from veche_dev import devstack
from veche_dev.eventually import eventually_sync


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def test_preliminary_in_the_console_then_certified_for_everyone(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"protocol-{uid}"
    [first] = open_contest(admin, contest, pending=1, visibility="hidden")
    second = f"pending0-{contest}"
    ok(admin.post(f"/practices/{second}/approve", json={}))
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        for number, practice in enumerate([first, first, second, second]):  # once voting knows the approval
            cast = functools.partial(vote, api, contest, "n0", practice, f"voter-{number}")
            eventually_sync(cast, lambda r: r.status_code == 202, what=f"ballot {number}")
        assert api.get(f"/api/v1/contests/{contest}/protocol").json()["code"] == "not_certified"
    counted = lambda: ok(admin.get(f"/contests/{contest}/leaderboards"))  # noqa: E731
    eventually_sync(counted, lambda boards: boards[0]["total_votes"] == 4, what="4 votes counted", timeout=60)

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/admin#/results")
    page.get_by_label("Operator key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Contest", exact=True).select_option(contest)
    panel = page.locator("#protocol")
    expect(panel).to_contain_text("Preliminary")
    with page.expect_download() as caught:
        panel.get_by_role("button", name="Protocol PDF (Russian)").click()
    assert caught.value.suggested_filename == f"{contest}-protocol-ru.pdf"
    draft = pdf_text(caught.value.path().read_bytes())
    assert "предварительный" in draft
    assert "практика" in draft

    for phase in ("voting_closed", "results_published"):
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
    certificate = eventually_sync(
        lambda: admin.get(f"/contests/{contest}/exports/certificate"),
        lambda r: r.status_code == 200,
        what="a certificate",
        timeout=90,  # every partition's consumer applies the whole ledger first: slow on a loaded machine
    ).json()
    page.reload()
    expect(panel).to_contain_text("The certified results")
    public = panel.get_by_role("link", name="Published for everyone: page (English)")
    public.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contest {contest}")
    expect(page.locator(".state")).to_have_attribute("data-state", "final")
    expect(page.locator(f'tr[data-practice="{first}"] td').first).to_have_text("1")
    expect(page.locator(f'tr[data-practice="{second}"] td').first).to_have_text("1")
    expect(page.locator(".tie")).to_contain_text("share place 1")
    final = certificate["logs"]["n0"]  # the nomination's final checkpoint, printed under its standings
    log = page.locator("#n-n0 .log")
    expect(log).to_have_attribute("data-log-size", str(final["size"]))
    expect(log.locator(".checkpoint")).to_have_text(final["checkpoint"].rstrip("\n"))
    expect(page.locator("header")).to_contain_text("Log verifier key")
    for scheme in ("light", "dark"):  # a document to print: the same dark or light
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page)
    page.goto(f"{platform.url()}/en/contests/{contest}/results")  # the public page links the protocol too
    link = page.get_by_role("link", name="Results protocol (PDF, to print and sign)")
    expect(link).to_have_attribute("href", f"/api/v1/contests/{contest}/protocol?format=pdf&lang=en")

    with httpx.Client(base_url=platform.url(), timeout=30) as api:
        for language, expected in (
            ("ru", ["протокол итогов голосования", f"конкурс {contest}", "номинация 0", "делят 1-е место", "50,0 %",
                    f"пермь {contest}", "председатель оргкомитета"]),
            ("en", ["results protocol", "final results", "share place 1", "50.0%", "signatures"]),
        ):  # fmt: skip
            answer = api.get(f"/api/v1/contests/{contest}/protocol", params={"format": "pdf", "lang": language})
            assert answer.headers["content-type"] == "application/pdf"
            text = pdf_text(answer.content)
            for phrase in [*expected, certificate["digest_sha256"][:24]]:
                assert phrase in text, (language, phrase)
            assert final["root"].casefold() in "".join(text.split())  # the checkpoint's root, wrapped or not
    assert violations == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_protocol_page_is_accessible_in_both_themes(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str, scheme: Scheme
) -> None:
    contest = f"protocol-{scheme}-{uid}"
    open_contest(admin, contest)
    page = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme).new_page()
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/admin")
    page.get_by_label("Operator key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Contest", exact=True).select_option(contest)
    page.get_by_role("link", name="Recount and exports").click()
    expect(page.locator("#protocol")).to_contain_text("Preliminary")
    assert_accessible(page)
    report = page.context.new_page()  # the preliminary protocol itself, as an operator's browser shows it
    report.set_extra_http_headers({"X-API-Key": ADMIN_KEY})
    report.goto(f"{platform.url()}/api/v1/admin/contests/{contest}/exports/protocol?lang=en")
    expect(report.locator(".state")).to_have_attribute("data-state", "preliminary")
    expect(report.locator(".state")).to_contain_text("PRELIMINARY")
    assert_accessible(report)
    assert report.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations == []
    page.context.close()
