"""CPU a voter's browser spends on the device check: headless Chromium (Debian's) opens the public page of a
device-mode contest at the DEFAULT difficulty, clicks Vote, and the ALTCHA widget solves the challenge in its
Web Worker before the ballot goes in. CPU time of every Chromium process (CDP SystemInfo.getProcessInfo) is read
before the click and after the ballot is counted; each run is a fresh browser context (a new voter).

    python -m bench.identity_browser [--runs 5]
"""

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

from veche_dev import devstack
from veche_dev.devkeys import operator_keys_env

ADMIN_KEY = "bench-identity-admin-key"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def device_contest(admin: httpx.Client, contest: str) -> None:
    """A device-mode contest with the default difficulty, one nomination, one approved practice, voting open."""
    title = {"en": "Poll", "ru": "Опрос"}
    steps = [
        ("/contests", {"id": contest, "title": title, "identity_mode": "device"}),
        ("/municipalities", {"id": "perm", "name": {"en": "Perm"}, "country": "RU", "lat": 58.0, "lon": 56.2}),
        (f"/contests/{contest}/nominations", {"id": "n0", "title": title}),
        (f"/contests/{contest}/practices", {"id": "p0", "nomination": "n0", "municipality": "perm", "title": "P"}),
        ("/practices/p0/approve", {}),
        (f"/contests/{contest}/phase", {"phase": "submissions_open"}),
        (f"/contests/{contest}/phase", {"phase": "voting_open"}),
    ]
    for path, body in steps:
        admin.post(path, json=body).raise_for_status()


def cpu_seconds(browser: Browser) -> float:
    session = browser.new_browser_cdp_session()
    try:
        return float(sum(p["cpuTime"] for p in session.send("SystemInfo.getProcessInfo")["processInfo"]))
    finally:
        session.detach()


def one_voter(browser: Browser, url: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) from the click on Vote until the ballot is counted."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{url}/?contest=poll&lang=en")
    button = page.get_by_role("button", name=re.compile(r"^Vote for"))
    button.wait_for()
    page.wait_for_timeout(500)  # let the page settle: count the check, not the first paint
    before, started = cpu_seconds(browser), time.monotonic()
    button.click()
    page.locator("#message", has_text="counted").wait_for(timeout=120_000)  # the page's CSP forbids eval
    spent, wall = cpu_seconds(browser) - before, time.monotonic() - started
    context.close()
    return spent, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veche-identity-browser-"))
    nats_port, db_port = devstack.free_port(), devstack.free_port()
    infra = [devstack.start_nats(nats_port, work / "nats", work / "logs")]
    infra.append(devstack.start_localdb(db_port, work / "db", work / "logs"))
    platform = devstack.Platform(f"nats://127.0.0.1:{nats_port}", f"mongodb://127.0.0.1:{db_port}/", work / "logs")
    platform.extra_env = operator_keys_env([("bench", "admin", ADMIN_KEY)])
    samples: list[tuple[float, float]] = []
    try:
        platform.start_all()
        headers = {"X-API-Key": ADMIN_KEY}
        with httpx.Client(base_url=f"{platform.url()}/api/v1/admin", headers=headers, timeout=15) as admin:
            device_contest(admin, "poll")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            samples = [one_voter(browser, platform.url()) for _ in range(args.runs)]
            browser.close()
    finally:
        platform.stop_all()
        for process in reversed(infra):
            process.stop()
    cpu, wall = [s[0] for s in samples], [s[1] for s in samples]
    result = {"runs": len(samples), "cpu_seconds_median": round(statistics.median(cpu), 2),
              "cpu_seconds_min": round(min(cpu), 2), "cpu_seconds_max": round(max(cpu), 2),
              "wall_seconds_median": round(statistics.median(wall), 2)}  # fmt: skip
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
