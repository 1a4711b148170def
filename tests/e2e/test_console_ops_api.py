"""The console's operations over HTTP against the running platform: the municipality CSV import (all or nothing,
errors by line), recount, and the certificate and ballots downloads (audited)."""

import csv
import io
import json

import httpx

from tests.e2e.conftest import OBSERVER_KEY
from tests.live_helpers import admin_client, ok, open_contest, vote
from veche_dev import devstack
from veche_dev.eventually import eventually_sync
from veche_results.certificate import verify
from veche_shared.contracts.results import Certificate, CountedBallot

HEADER = "id,country,name_en,name_ru,region,lat,lon,population\n"


def towns(uid: str, count: int, *, lat: str = "58.0") -> str:
    return HEADER + "".join(
        f"{uid}-{i},RU,Town {uid} {i},Город {uid} {i},Perm Krai,{lat},56.25,{i}\n" for i in range(count)
    )


def upload(client: httpx.Client, text: str, dry_run: bool = False) -> httpx.Response:
    params = {"dry_run": "true"} if dry_run else {}
    return client.post(
        "/municipality-imports", content=text.encode(), params=params, headers={"Content-Type": "text/csv"}
    )


def registered(api: httpx.Client, uid: str) -> int:
    found = ok(api.get("/api/v1/municipalities", params={"q": f"{uid}-", "limit": 1_000}))["items"]
    return sum(m["id"].startswith(f"{uid}-") for m in found)


def test_a_csv_with_bad_lines_imports_nothing_and_names_each_line(
    admin: httpx.Client, api: httpx.Client, uid: str
) -> None:
    text = towns(uid, 4) + f"{uid}-x,RU,Far,,,91.5,56.25,\n{uid}-1,RU,Again,,,1,1,\n"
    refused = upload(admin, text)
    assert (refused.status_code, refused.headers["content-type"]) == (422, "application/problem+json"), refused.text
    assert refused.json()["code"] == "import_rejected"
    problems = [(e["line"], e["column"], e["code"]) for e in refused.json()["errors"]]
    assert problems == [(6, "lat", "invalid_cell"), (7, "id", "repeated")]
    assert registered(api, uid) == 0

    header = upload(admin, "id;name\n1;x\n")
    assert [(e["line"], e["code"]) for e in header.json()["errors"]] == [(1, "bad_header")]
    assert upload(admin, HEADER).json()["code"] == "empty_file"
    assert upload(admin, HEADER + "\xff").status_code == 422


def test_a_good_csv_is_checked_then_imported_once(
    platform: devstack.Platform, admin: httpx.Client, api: httpx.Client, uid: str
) -> None:
    text = towns(uid, 30)
    assert ok(upload(admin, text, dry_run=True)) == {"rows": 30, "created": 0, "unchanged": 0, "dry_run": True}
    assert registered(api, uid) == 0
    assert ok(upload(admin, text)) == {"rows": 30, "created": 30, "unchanged": 0, "dry_run": False}
    assert ok(upload(admin, text)) == {"rows": 30, "created": 0, "unchanged": 30, "dry_run": False}
    assert registered(api, uid) == 30

    clash = HEADER + f"{uid}-new,RU,Town {uid} 7,,,1,1,\n"  # the name of a registered town under another id
    refused = upload(admin, clash)
    assert [(e["line"], e["code"]) for e in refused.json()["errors"]] == [(2, "name_taken")]
    with admin_client(platform, OBSERVER_KEY) as observer:
        assert upload(observer, towns(f"{uid}o", 1)).status_code == 403
    trail = ok(admin.get("/audit", params={"action": "import_municipalities", "limit": 100}))["entries"]
    assert {e["status"] for e in trail} >= {200, 403, 422}


def test_a_file_over_the_import_limit_is_refused(admin: httpx.Client) -> None:
    big = HEADER + "x" * (4 * 1024 * 1024)
    assert (upload(admin, big).status_code, upload(admin, big).json()["code"]) == (413, "body_too_large")


def test_recount_and_downloads_of_a_published_contest(
    platform: devstack.Platform, admin: httpx.Client, api: httpx.Client, uid: str
) -> None:
    contest = f"exp-{uid}"
    [practice] = open_contest(admin, contest)
    cast = [vote(api, contest, "n0", practice, f"voter-{i}") for i in range(5)]
    assert {answer.status_code for answer in cast} == {202}
    annul = {"vote_ids": [cast[0].json()["vote_id"]], "reason": "a test"}
    assert ok(admin.post(f"/contests/{contest}/annulments", json=annul))["annulled"] == 1
    not_yet = admin.get(f"/contests/{contest}/exports/ballots")
    assert (not_yet.status_code, not_yet.json()["code"]) == (404, "not_certified")
    public = api.get(f"/api/v1/contests/{contest}/ballots")  # the public file: only once certified, too
    assert (public.status_code, public.json()["code"]) == (404, "not_certified")
    for phase in ("voting_closed", "results_published"):
        ok(admin.post(f"/contests/{contest}/phase", json={"phase": phase}))
    eventually_sync(
        lambda: api.get(f"/api/v1/contests/{contest}/certificate"), lambda r: r.status_code == 200, what="a certificate"
    )

    recount = ok(admin.post(f"/contests/{contest}/recount"))
    assert (recount["ledger_messages"], recount["differences"]) == (6, [])
    with admin_client(platform, OBSERVER_KEY) as observer:
        cert = observer.get(f"/contests/{contest}/exports/certificate")
        jsonl = observer.get(f"/contests/{contest}/exports/ballots")
        table = observer.get(f"/contests/{contest}/exports/ballots", params={"format": "csv"})
    assert cert.headers["content-disposition"] == f'attachment; filename="{contest}-certificate.json"'
    assert (jsonl.headers["content-type"], table.headers["content-type"]) == (
        "application/x-ndjson",
        "text/csv; charset=utf-8",
    )
    assert table.headers["content-disposition"] == f'attachment; filename="{contest}-ballots.csv"'
    certificate = Certificate.model_validate_json(cert.content)
    ballots = [CountedBallot.model_validate(json.loads(line)) for line in jsonl.text.splitlines()]
    assert (len(ballots), sum(b.annulled for b in ballots), verify(certificate, ballots)) == (5, 1, [])
    assert [CountedBallot.model_validate(row) for row in csv.DictReader(io.StringIO(table.text))] == ballots
    published = api.get(f"/api/v1/contests/{contest}/ballots")  # anyone's, the same lines, no operator
    assert (published.status_code, published.content) == (200, jsonl.content)
    assert published.headers["cache-control"] == "public, max-age=3600"
    assert published.headers["content-disposition"] == f'attachment; filename="{contest}-ballots.jsonl"'
    assert api.get(f"/api/v1/contests/{contest}/ballots", params={"format": "csv"}).text == table.text

    trail = ok(admin.get("/audit", params={"contest": contest, "limit": 100}))["entries"]
    exports = [(e["action"], e["operator"], (e["after"] or {}).get("format")) for e in trail if "export" in e["action"]]
    assert exports == [
        ("export_certificate", "e2e-observer", None),
        ("export_ballots", "e2e-observer", "jsonl"),
        ("export_ballots", "e2e-observer", "csv"),
    ]
