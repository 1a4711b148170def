"""The submissions service's read use cases on its in-memory store, each request answered by the service's own routes
through the in-memory RPC dispatcher (tests/submissions_helpers.py): what the public and operators see of practices
and municipalities, and the paging."""

import json
from typing import Any

from tests.submissions_helpers import InMemorySubmissions
from veche_dev import factories as f
from veche_shared.contracts.catalog import Municipality, Phase, PracticeStatus
from veche_shared.operations import submissions as ops
from veche_shared.rpc import Operation


def catalog() -> InMemorySubmissions:
    service = InMemorySubmissions()
    store = service.store
    store.add(f.contest("open", phase=Phase.voting_open))
    store.add(f.contest("draft", phase=Phase.draft))
    for mid, name in (("perm", "Perm"), ("oxford", "Oxford"), ("permskiy", "Permsky district")):
        store.add(Municipality(id=mid, name={"en": name}, country="RU", lat=58.0, lon=56.2))
    store.add(f.practice("open", "p1", municipality="perm"), contact="anna@perm.example")
    store.add(f.practice("open", "p2", municipality="oxford", status=PracticeStatus.pending))
    store.add(f.practice("open", "p3", "other", municipality="perm"))
    store.add(f.practice("draft", "p4", municipality="perm"))
    return service


async def ask(service: InMemorySubmissions, op: Operation[Any, Any], body: dict[str, Any]) -> Any:
    """The reply envelope the service would send for this request, decoded."""
    return await service.raw(op, json.dumps(body).encode())


def ids(envelope: dict[str, Any]) -> list[str]:
    return [item["id"] for item in envelope["data"]["items"]]


async def test_the_public_sees_approved_practices_of_public_contests_only() -> None:
    service = catalog()
    assert ids(await ask(service, ops.PRACTICE_PAGE, {"contest": "open"})) == ["p1", "p3"]
    assert ids(await ask(service, ops.PRACTICE_PAGE, {"contest": "draft"})) == []
    one_nomination = {"contest": "open", "nomination": "other"}
    assert ids(await ask(service, ops.PRACTICE_PAGE, one_nomination)) == ["p3"]


async def test_operators_see_every_status_with_names_and_contacts() -> None:
    body = {"contest": "open", "include_unpublished": True}
    envelope = await ask(catalog(), ops.PRACTICE_PAGE, body)
    assert ids(envelope) == ["p1", "p2", "p3"]
    assert envelope["data"]["contacts"] == {"p1": "anna@perm.example"}
    assert envelope["data"]["municipality_names"]["oxford"] == {"en": "Oxford"}
    pending = await ask(catalog(), ops.PRACTICE_PAGE, body | {"status": "pending"})
    assert ids(pending) == ["p2"]


async def test_pages_follow_the_cursor_to_the_end() -> None:
    service, seen, cursor = catalog(), [], None
    for _ in range(5):
        body = {"contest": "open", "include_unpublished": True, "limit": 1} | ({"cursor": cursor} if cursor else {})
        envelope = await ask(service, ops.PRACTICE_PAGE, body)
        seen += ids(envelope)
        cursor = envelope["data"]["next_cursor"]
        if cursor is None:
            break
    assert seen == ["p1", "p2", "p3"]


async def test_a_forged_cursor_is_refused() -> None:
    envelope = await ask(catalog(), ops.PRACTICE_PAGE, {"contest": "open", "cursor": "bm9wZQ"})
    assert (envelope["ok"], envelope["error"]["code"]) == (False, "bad_cursor")


async def test_municipalities_are_found_by_name_in_any_case_and_by_country() -> None:
    service = catalog()
    assert ids(await ask(service, ops.MUNICIPALITY_LIST, {"q": "PERM"})) == ["perm", "permskiy"]
    assert ids(await ask(service, ops.MUNICIPALITY_LIST, {"country": "GB"})) == []
    assert ids(await ask(service, ops.MUNICIPALITY_LIST, {"ids": ["oxford"]})) == ["oxford"]


async def test_counts_by_status_and_unknown_contests() -> None:
    counts = await ask(catalog(), ops.PRACTICE_COUNT, {"contest": "open"})
    assert (counts["data"]["approved"], counts["data"]["pending"], counts["data"]["rejected"]) == (2, 1, 0)
    unknown = await ask(catalog(), ops.PRACTICE_COUNT, {"contest": "nope"})
    assert unknown["error"]["code"] == "unknown_contest"
