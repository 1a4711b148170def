"""A contest for the citizen's journeys (the list of votes, a practice's page, its vote, the results)."""

from typing import Any

import httpx

from tests.live_helpers import ok

DESCRIPTION = """Neighbours adopt a lime tree each and water it all summer.

- 40 streets took part in 2026
- the city's register: https://parks.example/register
"""


def seed(admin: httpx.Client, contest: str) -> dict[str, str]:
    """A contest open for votes: nomination n0 with two practices (one with a full description and links)."""
    title = {"en": f"City awards {contest}", "ru": f"Городская премия {contest}"}
    ok(admin.post("/contests", json={"id": contest, "title": title, "identity_mode": "jwt"}))
    ok(admin.post(f"/contests/{contest}/nominations", json={"id": "n0", "title": {"en": "Green city"}}))
    practices: dict[str, str] = {}
    for town, name in (("perm", "Lime trees by neighbours"), ("kazan", "Rain gardens")):
        place = {
            "id": f"{town}-{contest}",
            "name": {"en": f"{town.title()} {contest}"},
            "country": "RU",
            "lat": 58.0,
            "lon": 56.2,
        }
        ok(admin.post("/municipalities", json=place))
        body: dict[str, Any] = {
            "id": f"{town}-{contest}-p", "nomination": "n0", "municipality": place["id"], "title": name,
            "summary": f"{name}, in short", "description": DESCRIPTION if town == "perm" else "Short.",
            "links": ["https://perm.example/limes"] if town == "perm" else [],
        }  # fmt: skip
        ok(admin.post(f"/contests/{contest}/practices", json=body))
        ok(admin.post(f"/practices/{body['id']}/approve", json={}))
        practices[town] = body["id"]
    for phase in ("submissions_open", "voting_open"):
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
    return practices
