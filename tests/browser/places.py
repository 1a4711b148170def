"""A contest with many municipalities across Russia, made through the admin API, for the public page's map."""

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.live_helpers import ok

# Real cities first (names in both languages), then made-up towns spread over the country.
CITIES = [
    ("perm", "Perm", "Пермь", 58.0105, 56.2502), ("kazan", "Kazan", "Казань", 55.7963, 49.1088),
    ("moscow", "Moscow", "Москва", 55.7558, 37.6173), ("spb", "Saint Petersburg", "Санкт-Петербург", 59.9386, 30.3141),
    ("novosibirsk", "Novosibirsk", "Новосибирск", 55.0084, 82.9357),
    ("yekaterinburg", "Yekaterinburg", "Екатеринбург", 56.8389, 60.6057),
    ("vladivostok", "Vladivostok", "Владивосток", 43.1155, 131.8855),
    ("murmansk", "Murmansk", "Мурманск", 68.9585, 33.0827), ("sochi", "Sochi", "Сочи", 43.5855, 39.7231),
    ("irkutsk", "Irkutsk", "Иркутск", 52.2870, 104.3050), ("samara", "Samara", "Самара", 53.1959, 50.1002),
    ("tver", "Tver", "Тверь", 56.8587, 35.9176),
]  # fmt: skip


def place(number: int) -> dict[str, Any]:
    if number < len(CITIES):
        key, en, ru, lat, lon = CITIES[number]
    else:
        spot = random.Random(number)
        key, en, ru = f"town{number}", f"Town {number}", f"Город {number}"
        lat, lon = spot.uniform(45, 66), spot.uniform(30, 135)
    return {"id": key, "name": {"en": en, "ru": ru}, "country": "RU", "lat": lat, "lon": lon}


def seed_places(admin: httpx.Client, count: int) -> list[dict[str, Any]]:
    """Municipalities (unique by name in a country, so made once per platform: a later module on the folder's
    platform finds the ones an earlier module made, and makes the rest)."""
    towns = [place(number) for number in range(count)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda town: made_or_there(admin, town), towns))
    return towns


def made_or_there(admin: httpx.Client, town: dict[str, Any]) -> None:
    answer = admin.post("/municipalities", json=town)
    if answer.status_code == 409:
        found = ok(admin.get("/municipalities", params={"q": town["id"]}))["items"]
        assert [there["name"] for there in found if there["id"] == town["id"]] == [town["name"]], found  # the same
        return
    ok(answer)


def seed_contest(
    admin: httpx.Client, contest: str, towns: list[dict[str, Any]], *, nominations: int = 1, **settings: object
) -> list[str]:
    """A contest in voting_open whose first nomination has one approved practice per town; returns them."""
    title = {"en": f"Map {contest}", "ru": f"Карта {contest}"}
    ok(
        admin.post(
            "/contests", json={"id": contest, "title": title, "identity_mode": "jwt", "visibility": "live"} | settings
        )
    )
    for number in range(nominations):
        names = {"en": f"Nomination {number}", "ru": f"Номинация {number}"}
        ok(admin.post(f"/contests/{contest}/nominations", json={"id": f"n{number}", "title": names}))

    def submit(town: dict[str, Any]) -> str:
        practice = f"{town['id']}-{contest}"
        body = {
            "id": practice,
            "nomination": "n0",
            "municipality": town["id"],
            "title": f"Practice of {town['name']['en']}",
        }
        ok(admin.post(f"/contests/{contest}/practices", json=body))
        ok(admin.post(f"/practices/{practice}/approve", json={}))
        return practice

    with ThreadPoolExecutor(4) as pool:
        practices = list(pool.map(submit, towns))
    for number in range(1, nominations):
        body = {"id": f"q{number}-{contest}", "nomination": f"n{number}", "municipality": towns[0]["id"],
                "title": f"Practice {number}"}  # fmt: skip
        ok(admin.post(f"/contests/{contest}/practices", json=body))
        ok(admin.post(f"/practices/q{number}-{contest}/approve", json={}))
    ok(admin.post(f"/contests/{contest}/phase", json={"phase": "submissions_open"}))
    ok(admin.post(f"/contests/{contest}/phase", json={"phase": "voting_open"}))
    return practices
