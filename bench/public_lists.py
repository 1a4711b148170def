"""The public page with complete lists: M municipalities and N practices (written in bulk to the submissions
database, as the service writes them; one practice per municipality and nomination, so N / M nominations), opened
in headless Chromium (Debian's). Reports the time until every practice card of the first nomination is on the page
(its municipalities loaded too, both lists followed page by page), the API requests and the bytes transferred.

    python -m bench.public_lists [--municipalities 5000] [--practices 10000]
"""

import argparse
import json
import math
import time
from typing import Any

import httpx
from playwright.sync_api import sync_playwright
from pymongo import MongoClient

from bench.stack import Stack
from veche_dev.devkeys import operator_keys_env
from veche_shared.contracts.catalog import Municipality, Practice, PracticeStatus
from veche_submissions.documents import stored_fields

ADMIN_KEY = "bench-public-lists-admin-key"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CONTEST = "lists-bench"


def seed(url: str, mongodb_url: str, cities: int, practices: int) -> int:
    """The contest over the API, the bulk over the database; returns how many practices the first nomination has."""
    nominations = math.ceil(practices / cities)
    with httpx.Client(base_url=f"{url}/api/v1/admin", timeout=30, headers={"X-API-Key": ADMIN_KEY}) as admin:
        title = {"ru": "Полные списки", "en": "Complete lists"}
        admin.post("/contests", json={"id": CONTEST, "title": title}).raise_for_status()
        for n in range(nominations):
            admin.post(f"/contests/{CONTEST}/nominations", json={"id": f"n{n}", "title": f"N{n}"}).raise_for_status()
        admin.post(f"/contests/{CONTEST}/phase", json={"phase": "submissions_open"}).raise_for_status()
    towns = [
        Municipality(id=f"t{i:05}", name={"ru": f"Город {i}", "en": f"Town {i}"}, country="RU",
                     lat=43 + (i * 7919 % 2500) / 100, lon=28 + (i * 104_729 % 11_200) / 100)
        for i in range(cities)
    ]  # fmt: skip
    entries = [
        Practice(id=f"p{i:05}", contest=CONTEST, nomination=f"n{i // cities}", municipality=f"t{i % cities:05}",
                 title={"ru": f"Практика {i}", "en": f"Practice {i}"}, summary={"ru": "Кратко о практике."},
                 status=PracticeStatus.approved)
        for i in range(practices)
    ]  # fmt: skip
    client: MongoClient[dict[str, Any]] = MongoClient(mongodb_url)
    with client:
        for collection, entities in (("municipalities", towns), ("practices", entries)):
            docs = [{"_id": e.id, **stored_fields(e), "_outbox": []} for e in entities]
            client["submissions"][collection].insert_many(docs, ordered=False)
    return min(cities, practices)


def measure(url: str, cards: int) -> dict[str, object]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[tuple[str, int]] = []
        page.on("requestfinished", lambda r: requests.append((r.url, r.sizes()["responseBodySize"])))
        started = time.perf_counter()
        page.goto(f"{url}/?contest={CONTEST}&lang=en")
        # the page's CSP allows no eval: wait for the last card by a locator, not a function
        page.locator("#cards .card").nth(cards - 1).wait_for(state="attached", timeout=900_000)
        loaded = time.perf_counter() - started
        shown = page.evaluate("document.querySelectorAll('#cards .card').length")
        browser.close()
    pages = [u for u, _ in requests if "/practices?" in u or "/municipalities?" in u]
    return {
        "cards": shown, "all_cards_after_s": round(loaded, 1), "requests": len(requests),
        "list_pages": len(pages), "bytes": sum(size for _, size in requests),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--municipalities", type=int, default=5_000)
    parser.add_argument("--practices", type=int, default=10_000)
    args = parser.parse_args()
    stack = Stack()
    try:
        stack.start_infra()
        assert stack.platform is not None
        stack.platform.extra_env |= operator_keys_env([("bench", "admin", ADMIN_KEY)])
        url = stack.start_veche()
        cards = seed(url, stack.platform.mongodb_url, args.municipalities, args.practices)
        print(json.dumps({"municipalities": args.municipalities, "practices": args.practices} | measure(url, cards)))
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
