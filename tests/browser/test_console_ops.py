"""The console's operations views (/admin) in headless Chromium against the running platform: a municipality
CSV upload (errors by line, all or nothing, then imported), an annulment previewed then confirmed with a reason,
a recount and the downloads of certified results; what an observer may not do is not offered."""

import httpx
from playwright.sync_api import Browser, FilePayload, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ADMIN_KEY, OBSERVER_KEY
from tests.browser.watch import csp_violations
from tests.live_helpers import ok, open_contest, vote
from veche_dev import devstack
from veche_dev.eventually import eventually_sync

HEADER = "id,country,name_en,name_ru,region,lat,lon,population\n"
# the <progress> bar's value reflects into its attribute: every value it showed is recorded
WATCH_PROGRESS = """() => { window.progressSeen = []; new MutationObserver(() => {
  const bar = document.getElementById('upload-progress');
  if (bar && !bar.hidden) window.progressSeen.push(Number(bar.getAttribute('value')));
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value', 'hidden'] }); }"""


def sign_in(browser: Browser, platform: devstack.Platform, key: str, view: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    violations = csp_violations(page)
    page.goto(f"{platform.url()}/admin#/{view}")
    page.get_by_label("Operator key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    return page, violations


def csv_file(text: str) -> FilePayload:
    return FilePayload(name="towns.csv", mimeType="text/csv", buffer=text.encode())


def test_csv_upload_names_bad_lines_then_imports_the_fixed_file(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    page, violations = sign_in(browser, platform, ADMIN_KEY, "municipalities")
    expect(page.get_by_role("heading", level=1)).to_have_text("Municipalities")
    rows = [f"{uid}-{i},RU,Town {uid} {i},Город {uid} {i},,5{i}.5,56.25,{i}000\n" for i in range(3)]
    bad = HEADER + rows[0] + f"{uid}-1,RU,Town {uid} 1,,,95.5,56.25,\n" + rows[0]
    page.get_by_label("CSV file (UTF-8)").set_input_files(csv_file(bad))
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#upload-status")).to_have_text("3 problem(s) in the file; nothing was imported.")
    expect(page.locator('#import-problems tr[data-line="3"]')).to_contain_text("lat")
    expect(page.locator('#import-problems tr[data-line="4"]').first).to_contain_text("repeats line 2")
    assert 100 in page.evaluate("window.progressSeen"), "the progress bar showed the upload"
    assert not ok(httpx.get(f"{platform.url()}/api/v1/municipalities", params={"q": uid}))["items"]
    assert_accessible(page, include=("#view",))

    page.get_by_label("CSV file (UTF-8)").set_input_files(csv_file(HEADER + "".join(rows)))
    page.get_by_role("button", name="Check only").click()
    expect(page.locator("#upload-status")).to_contain_text("Checked 3 rows: 3 would be new")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#upload-status")).to_have_text("Imported 3 rows: 3 new, 0 already registered.")
    page.get_by_label("Search by name or id").fill(f"town {uid}")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#municipality-table tbody tr")).to_have_count(3)
    expect(page.locator(f'#municipality-table tr[data-municipality="{uid}-2"]')).to_contain_text("Town")
    assert not violations, violations
    page.close()


def test_annul_after_a_preview_then_recount_and_download(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    contest = f"ops-{uid}"
    [practice] = open_contest(admin, contest)
    with httpx.Client(base_url=platform.url(), timeout=15) as api:
        cast = [vote(api, contest, "n0", practice, f"voter-{i}").json() for i in range(3)]
    page, violations = sign_in(browser, platform, ADMIN_KEY, "contests")
    page.get_by_label("Contest", exact=True).select_option(contest)
    page.get_by_role("link", name="Annulment").click()
    page.get_by_label("Vote ids, one a line").fill(cast[1]["vote_id"])
    page.get_by_role("button", name="Preview (nothing is written)").click()
    expect(page.locator("#annul-preview-count")).to_have_text(
        "1 ballot(s) would be annulled (1 found, 0 annulled before)."
    )
    assert_accessible(page, include=("#view",))
    page.get_by_role("button", name="Annul 1 ballot(s)…").click()
    dialog = page.locator("#dialog")
    dialog.get_by_label("Reason (kept in the ledger and the audit log)").fill("a duplicate account")
    dialog.get_by_role("button", name="Annul 1 ballot(s)…").click()
    expect(page.locator("#annul-done")).to_have_text("Annulled 1 ballot(s).")

    for phase in ("voting_closed", "results_published"):
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
    certified = f"/contests/{contest}/exports/certificate"
    eventually_sync(lambda: admin.get(certified), lambda r: r.status_code == 200, what="a certificate")
    page.get_by_role("link", name="Recount and exports").click()
    expect(page.locator("#certificate-summary")).to_contain_text("3 ballot(s), 1 annulled")
    page.get_by_role("button", name="Recount now").click()
    expect(page.locator("#recount-result")).to_contain_text("no differences")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the ballots (CSV)").click()
    assert caught.value.suggested_filename == f"{contest}-ballots.csv"
    lines = caught.value.path().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4, lines
    assert sum(line.endswith(",True") for line in lines) == 1, lines
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the certificate (JSON)").click()
    assert caught.value.suggested_filename == f"{contest}-certificate.json"
    expect(page.locator("#export-status")).to_contain_text(f"Saved {contest}-certificate.json")
    assert_accessible(page, include=("#view",))
    page.get_by_role("button", name="RU", exact=True).click()  # not "Protocol PDF (Russian)"
    expect(page.get_by_role("heading", level=1)).to_have_text("Пересчёт и выгрузки")
    assert not violations, violations
    page.close()


def test_observer_gets_no_upload_no_annulment_and_no_recount(
    browser: Browser, platform: devstack.Platform, admin: httpx.Client, uid: str
) -> None:
    ok(admin.post("/contests", json={"id": f"obs-{uid}", "title": {"en": "Observed"}}))
    towns = [f"{uid}-{i:02},RU,Village {uid} {i},,,50.5,40.25,\n" for i in range(55)]
    headers = {"Content-Type": "text/csv"}
    assert (
        ok(admin.post("/municipality-imports", content=(HEADER + "".join(towns)).encode(), headers=headers))["created"]
        == 55
    )
    page, violations = sign_in(browser, platform, OBSERVER_KEY, "municipalities")
    expect(page.get_by_role("heading", level=1)).to_have_text("Municipalities")
    expect(page.locator("#csv-upload")).to_have_count(0)
    page.get_by_label("Search by name or id").fill(f"village {uid}")
    page.keyboard.press("Enter")
    expect(page.locator("#municipality-table tbody tr")).to_have_count(50)  # one page, then the next on request
    page.get_by_role("button", name="Show more").click()
    expect(page.locator("#municipality-table tbody tr")).to_have_count(55)
    expect(page.get_by_role("button", name="Show more")).to_be_hidden()
    expect(page.get_by_role("link", name="Annulment")).to_have_count(0)
    page.get_by_label("Contest", exact=True).select_option(f"obs-{uid}")  # the console never picks one itself
    page.get_by_role("link", name="Recount and exports").click()
    expect(page.get_by_role("button", name="Recount now")).to_be_disabled()
    expect(page.locator("#certificate-summary")).to_contain_text("No certificate yet")
    assert not violations, violations
    page.close()
