"""What a citizen's phone downloads and waits for: headless Chromium (Debian's) at 390 x 844 with the CPU slowed
4x and the network at 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip (Chrome DevTools' "slow 4G"-like
profile), on the demo contest (forum-2018). Reports, for a first visit (empty cache) and a repeat visit: bytes
transferred (as on the wire, compressed), requests, and milliseconds from navigation start until the practice
cards are shown; then the same for a practice's own page, until its Vote button answers (and its first paint).
Numbers are reported, not asserted:
the goals are a first visit of at most 150 KB, cards within 1.2 s and the practice page within 1.0 s.
With --waterfall it loads each page once more (empty cache) and prints every request's timing (bench.waterfall).

    python -m bench.citizen_page [--url http://127.0.0.1:8000] [--runs 3] [--waterfall]
                                 [--out bench/results/citizen-page.json]

Without --url it starts its own platform on free ports (bench.stack) with the demo contest loaded.
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, CDPSession, Page, ViewportSize, sync_playwright

from bench.stack import Stack
from bench.waterfall import Waterfall, table

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE: ViewportSize = {"width": 390, "height": 844}
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CONTEST = "forum-2018"
CARDS = os.environ.get("BENCH_CARDS_SELECTOR", "#cards li")
# a practice's page is ready when its Vote button answers: the script shows the identity box as it wires the button
# (the demo contest's voters take the device check, so the box is shown)
VOTE_BOX = "#vote-box #identity:not([hidden])"


class Wire:
    """Bytes on the wire (encodedDataLength: headers and compressed bodies) and requests, from DevTools."""

    def __init__(self, session: CDPSession) -> None:
        self.bytes = 0
        self.requests = 0
        session.on("Network.loadingFinished", self.finished)

    def finished(self, event: dict[str, Any]) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1


def slow_phone(browser: Browser) -> tuple[Page, Wire]:
    page, session = slow_phone_session(browser)
    return page, Wire(session)


def slow_phone_session(browser: Browser) -> tuple[Page, CDPSession]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", NETWORK)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return page, session


KEYS = ("ready_ms", "painted_ms", "bytes", "requests")
FIRST_PAINT = "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: -1}).startTime"
# Installed before the page's own scripts: the moment (the page's clock) the ready selector first matches, as the
# parser or a script puts the element in (or shows it), read by the browser itself: a test driver polling for it
# on a CPU slowed 4x is answered only when the page's scripts leave the main thread free, up to a second late.
WATCH = """(() => {{ const selector = {selector}; window.__veche_ready = null;
  const seen = (records, observer) => {{
    if (!document.querySelector(selector)) return;
    window.__veche_ready = performance.now(); observer.disconnect(); }};
  new MutationObserver(seen).observe(document, {{ childList: true, subtree: true, attributes: true }}); }})();"""


def visit(page: Page, wire: Wire, url: str, ready: str) -> dict[str, float]:
    """Navigate until `ready` is visible. ready_ms: when it was first there to be painted, by the page's own clock
    since navigation start: the later of the moment it matched (WATCH) and the first contentful paint (what the
    parser put in before the stylesheets came is shown with the first paint); painted_ms: the first paint."""
    wire.bytes = wire.requests = 0
    page.add_init_script(WATCH.format(selector=json.dumps(ready)))
    page.goto(url, wait_until="commit")
    page.locator(ready).first.wait_for(state="visible", timeout=60_000)
    page.wait_for_load_state("networkidle")
    matched_ms, painted_ms = page.evaluate("window.__veche_ready"), page.evaluate(FIRST_PAINT)
    return {"ready_ms": round(max(matched_ms, painted_ms)), "painted_ms": round(painted_ms), "bytes": wire.bytes,
            "requests": wire.requests}  # fmt: skip


def first_practice(url: str) -> str | None:
    """The address of the first approved practice of the contest's first nomination (None: a release without
    practice pages)."""
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30) as api:
        nomination = api.get(f"/contests/{CONTEST}/nominations").json()[0]["id"]
        practice = api.get(f"/contests/{CONTEST}/practices", params={"nomination": nomination}).json()["items"][0]
    address = f"{url}/en/contests/{CONTEST}/nominations/{nomination}/practices/{practice['id']}"
    return address if httpx.get(address, timeout=30).status_code == 200 else None


def measure(browser: Browser, url: str, runs: int) -> dict[str, Any]:
    contest_page, practice_page = f"{url}/en/contests/{CONTEST}", first_practice(url)
    rows: dict[str, list[dict[str, float]]] = {"contest_first": [], "contest_repeat": [], "practice_first": []}
    for _ in range(runs):
        page, wire = slow_phone(browser)
        rows["contest_first"].append(visit(page, wire, contest_page, CARDS))
        rows["contest_repeat"].append(visit(page, wire, contest_page, CARDS))
        page.context.close()
        if practice_page is not None:
            page, wire = slow_phone(browser)
            rows["practice_first"].append(visit(page, wire, practice_page, VOTE_BOX))
            page.context.close()
    return {
        name: {key: statistics.median(r[key] for r in runs_of) for key in KEYS} | {"runs": runs_of}
        for name, runs_of in rows.items()
        if runs_of
    }


def waterfalls(browser: Browser, url: str) -> dict[str, Any]:
    """One first visit of each page with every request's timing."""
    result: dict[str, Any] = {}
    for name, address, ready in (("contest_first", f"{url}/en/contests/{CONTEST}", CARDS),
                                 ("practice_first", first_practice(url), VOTE_BOX)):  # fmt: skip
        if address is None:
            continue
        page, session = slow_phone_session(browser)
        recorder = Waterfall(session)
        wire = Wire(session)
        shown = visit(page, wire, address, ready)
        page.context.close()
        result[name] = {"ready_ms": shown["ready_ms"], "requests": recorder.rows()}
        print(f"{name}:\n{table(result[name]['requests'], shown['ready_ms'])}\n")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running gateway with the demo contest (default: start one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/citizen-page.json"))
    parser.add_argument("--waterfall", action="store_true", help="print each request's timing of a first visit")
    args = parser.parse_args()
    stack = None if args.url else Stack()
    try:
        url = args.url
        if stack is not None:
            stack.start_infra()
            url = stack.start_veche()
        started = time.time()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            result = measure(browser, url, args.runs)
            if args.waterfall:
                result["waterfall"] = waterfalls(browser, url)
            browser.close()
        result |= {"load_average": os.getloadavg(), "seconds": round(time.time() - started), "network": NETWORK,
                   "cpu_slowdown": 4, "viewport": PHONE, "cards_selector": CARDS}  # fmt: skip
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
        for name in ("contest_first", "contest_repeat", "practice_first"):
            if name not in result:
                continue
            row = result[name]
            print(
                f"{name:15} {row['bytes'] / 1000:8.1f} KB {row['requests']:4.0f} requests {row['ready_ms']:6.0f} ms"
                f" (first paint {row['painted_ms']:.0f} ms)"
            )
        print(f"load average {result['load_average']}")
    finally:
        if stack is not None:
            stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
