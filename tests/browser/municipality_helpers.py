"""A contest taking submissions and a municipality's invitation key, for the municipality page's tests."""

import httpx

from tests.live_helpers import ok


def contest_taking_submissions(admin: httpx.Client, uid: str) -> str:
    """A contest in submissions_open with one nomination, a municipality, and its invitation key."""
    ok(admin.post("/contests", json={"id": f"mun-{uid}", "title": {"en": f"Forum {uid}", "ru": f"Форум {uid}"}}))
    nomination = {"id": "green", "title": {"en": "Green city", "ru": "Зелёный город"}}
    ok(admin.post(f"/contests/mun-{uid}/nominations", json=nomination))
    names = {"en": f"Tver {uid}", "ru": f"Тверь {uid}"}  # unique by name in a country: one per test
    city = {"id": f"tver-{uid}", "name": names, "country": "RU", "lat": 56.86, "lon": 35.9}
    ok(admin.post("/municipalities", json=city))
    ok(admin.post(f"/contests/mun-{uid}/phase", json={"phase": "submissions_open"}))
    return str(ok(admin.post(f"/municipalities/tver-{uid}/invitations", json={"valid_days": 1}))["key"])
