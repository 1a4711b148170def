"""The public page with many municipalities: headless Chromium (Debian's) opens `/` of a contest whose nomination
has one practice in each of N municipalities (2,000 by default) while ballots keep arriving, and reports the bytes
transferred, the time until the map is drawn, the map's own drawing time, the labels placed (and whether any
overlap), the longest frame and the long tasks (over 50 ms) while the live board updates; then the map module
alone is timed drawing every municipality of the platform.

    python -m bench.public_page [--places 2000] [--votes 300]
"""

import argparse
import json
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from playwright.sync_api import Page, sync_playwright

from bench.stack import Stack
from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_dev.devkeys import operator_keys_env

ADMIN_KEY = "bench-public-page-admin-key"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CONTEST = "map-bench"
WATCH = """() => { window.frames_ = []; window.long_ = [];
  new PerformanceObserver(l => l.getEntries().forEach(e => window.long_.push(e.duration)))
    .observe({type: "longtask", buffered: true});
  let last = performance.now();
  const tick = now => { window.frames_.push(now - last); last = now; requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""
OVERLAPS = """() => { const b = Array.from(document.querySelectorAll('#map .map-place text')).map(t => t.getBBox());
  let n = 0; for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
    if (b[i].x < b[j].x + b[j].width && b[j].x < b[i].x + b[i].width && b[i].y < b[j].y + b[j].height &&
        b[j].y < b[i].y + b[i].height) n++;
  return [b.length, n]; }"""


def post(admin: httpx.Client, path: str, body: dict[str, object]) -> None:
    """A write that survives a busy machine: a 5xx is tried again, and a 409 after it means the first one went in."""
    for attempt in range(5):
        answer = admin.post(path, json=body)
        if answer.status_code < 500 and not (attempt and answer.status_code == 409):
            answer.raise_for_status()
            return
        if answer.status_code == 409:
            return
        time.sleep(1 + attempt)
    answer.raise_for_status()


DRAW_ALL = """async () => { /* the map module alone, with every municipality of the platform */
  const towns = await (await fetch('/api/v1/municipalities')).json(), svg = document.getElementById('map');
  const places = towns.map((m, i) => ({id: m.id, name: m.name.en || m.id, lat: m.lat, lon: m.lon,
    votes: Math.floor(1000 / (1 + i)), votesText: '', label: m.id, href: '#'}));
  const started = performance.now();
  await window.VecheMap.draw(svg, places);
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return {places: places.length, script_ms: Number(svg.getAttribute('data-drawn-ms')),
          with_paint_ms: Math.round(performance.now() - started)}; }"""


def seed(admin: httpx.Client, places: int) -> list[str]:
    title = {"en": "Map of many", "ru": "Большая карта"}
    admin.post("/contests", json={"id": CONTEST, "title": title, "identity_mode": "jwt"}).raise_for_status()
    admin.post(f"/contests/{CONTEST}/nominations", json={"id": "n0", "title": title}).raise_for_status()

    def one(number: int) -> str:
        spot = random.Random(number)
        town = {"id": f"t{number}", "name": {"en": f"Town {number}", "ru": f"Город {number}"}, "country": "RU",
                "lat": spot.uniform(43, 68), "lon": spot.uniform(28, 140)}  # fmt: skip
        post(admin, "/municipalities", town)
        body = {"id": f"p{number}", "nomination": "n0", "municipality": town["id"], "title": f"Practice {number}"}
        post(admin, f"/contests/{CONTEST}/practices", body)
        post(admin, f"/practices/p{number}/approve", {})
        return str(body["id"])

    with ThreadPoolExecutor(4) as pool:
        practices = list(pool.map(one, range(places)))
    for phase in ("submissions_open", "voting_open"):
        admin.post(f"/contests/{CONTEST}/phase", json={"phase": phase}).raise_for_status()
    return practices


def cast(url: str, practices: list[str], voters: range) -> None:
    with httpx.Client(base_url=url, timeout=15) as api:
        for voter in voters:  # a few practices get most votes: markers of many sizes
            practice = practices[min(int(random.Random(voter).paretovariate(1.2)) - 1, len(practices) - 1)]
            headers = {"Authorization": f"Bearer {voter_token(DEMO_KEY, CONTEST, f'v{voter}')}"}
            api.post(f"/api/v1/contests/{CONTEST}/nominations/n0/votes", json={"practice": practice}, headers=headers)


def measure(page: Page, url: str, places: int, practices: list[str], votes: int) -> dict[str, object]:
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(f"{url}/?contest={CONTEST}&lang=en")
    page.locator("#map[data-places]").wait_for(state="attached", timeout=120_000)  # CSP: no wait_for_function
    drawn = page.evaluate("performance.now()")
    first_draw = float(page.get_attribute("#map", "data-drawn-ms") or 0)
    page.evaluate(WATCH)
    cast(url, practices, range(votes, votes + votes // 3))  # the live board moves while the page is watched
    page.wait_for_timeout(5_000)
    redraws = [float(page.get_attribute("#map", "data-drawn-ms") or 0)]
    for width in (1000, 1280, 1100):  # a resize redraws the map
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(2_500)
        redraws.append(float(page.get_attribute("#map", "data-drawn-ms") or 0))
    frames, longs = page.evaluate("window.frames_"), page.evaluate("window.long_")
    labels, overlapping = page.evaluate(OVERLAPS)
    return {
        "places": places, "places_on_page": page.get_attribute("#map", "data-places"),
        "draw_every_municipality": page.evaluate(DRAW_ALL), "requests": len(sizes), "bytes": sum(sizes),
        "map_drawn_after_ms": round(drawn),
        "first_draw_ms": first_draw, "redraw_ms_median": statistics.median(redraws),
        "labels": labels, "overlapping_labels": overlapping, "dom_nodes": page.evaluate(
            "document.getElementsByTagName('*').length"),
        "longest_frame_ms": round(max(frames), 1), "frames": len(frames), "long_tasks": len(longs),
        "long_task_ms_max": round(max(longs, default=0), 1),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--places", type=int, default=2000)
    parser.add_argument("--votes", type=int, default=300)
    args = parser.parse_args()
    stack = Stack()
    try:
        stack.start_infra()
        assert stack.platform is not None
        stack.platform.extra_env |= operator_keys_env([("bench", "admin", ADMIN_KEY)])
        url = stack.start_veche()
        started = time.monotonic()
        with httpx.Client(base_url=f"{url}/api/v1/admin", timeout=30, headers={"X-API-Key": ADMIN_KEY}) as admin:
            practices = seed(admin, args.places)
        print(f"seeded {args.places} municipalities and practices in {time.monotonic() - started:.0f} s")
        cast(url, practices, range(args.votes))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            print(json.dumps(measure(page, url, args.places, practices, args.votes), indent=2))
            browser.close()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
