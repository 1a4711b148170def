"""Every approved practice has its own page at a stable address: server-rendered in the address's language, with
Open Graph tags, the full description (paragraphs, lists, links; never raw HTML), the municipality and its links.
And a contest's page comes with its first cards and the data its script would have asked for.
Gateway in-process, the submissions service, real NATS and database."""

import json
import re
from collections.abc import AsyncIterator
from html import unescape
from typing import Any

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway
from tests.submissions_helpers import Service
from veche_gateway.settings import GatewaySettings
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Phase
from veche_shared.operations import submissions as ops

DESCRIPTION = """Volunteers from **twelve** districts meet every month.
They keep a register.

- a school exchange with <b>Kazan</b>
- a festival: https://festival.example/2026?x=1&y=2
- [a trap](javascript:alert(1)) <script>alert("x")</script> <img src=x onerror=alert(1)>
"""


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"], public_url="https://vote.example")) as gw:
        yield gw.client


MARKUP = '</script><b>"Quoted" & <marked></b>'


async def seeded(
    service: Service, contest: str, *, pending_in_n2: bool = False, approval_in_n3: bool = False, markup: bool = False
) -> str:
    """A contest in voting_open whose nomination n1 holds one approved practice (and n2 a pending one, n3 an
    approved one <contest>-a in an approval ballot of up to 2; with markup, n1 also <contest>-x titled MARKUP)."""
    await service.seed(contest, municipalities=2)
    if markup:
        marked = s.SubmitPractice(
            id=f"{contest}-x", contest=contest, nomination="n1", municipality=f"{contest}-m1", title={"en": MARKUP}
        )
        await service.ask(ops.PRACTICE_SUBMIT, marked)
        await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{contest}-x"))
    if approval_in_n3:
        many = s.CreateNomination(contest=contest, id="n3", title={"en": "N3"}, max_choices=2)
        await service.ask(ops.NOMINATION_CREATE, many)
        await service.submit(contest, f"{contest}-a", f"{contest}-m0", nomination="n3")
        await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{contest}-a"))
    if pending_in_n2:
        await service.ask(ops.NOMINATION_CREATE, s.CreateNomination(contest=contest, id="n2", title={"en": "N2"}))
        await service.submit(contest, f"{contest}-q", f"{contest}-m0", nomination="n2")
    practice = f"{contest}-p"
    submit = s.SubmitPractice(
        id=practice, contest=contest, nomination="n1", municipality=f"{contest}-m0",
        title={"en": "People's diplomacy", "ru": "Народная дипломатия"},
        summary={"en": "Twin towns by citizens", "ru": "Города-побратимы силами жителей"},
        description={"en": DESCRIPTION}, links=["https://city.example/diplomacy"],
    )  # fmt: skip
    await service.ask(ops.PRACTICE_SUBMIT, submit)
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=practice))
    for phase in (Phase.submissions_open, Phase.voting_open):
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=contest, phase=phase))
    return practice


def meta(page: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', page)
    assert found, name
    return unescape(found.group(1))


async def test_the_practice_page_reads_in_the_addresss_language_and_shares_well(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    contest = f"page-{uid}"
    practice = await seeded(service, contest)
    path = f"/ru/contests/{contest}/nominations/n1/practices/{practice}"
    answer = await gateway.get(path)
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert '<html lang="ru">' in page
    assert "<h1>Народная дипломатия</h1>" in page
    assert meta(page, "og:title") == "Народная дипломатия"
    assert meta(page, "og:description") == "Города-побратимы силами жителей"
    assert meta(page, "og:url") == f"https://vote.example{path}"
    assert meta(page, "og:locale") == "ru_RU"
    assert f'hreflang="en" href="/en/contests/{contest}/nominations/n1/practices/{practice}"' in page
    assert "Голосовать за эту практику" in page
    assert f"/ru/contests/{contest}/nominations/n1?practice={practice}#practice-{practice}" in page
    english = (await gateway.get(path.replace("/ru/", "/en/"))).text
    assert '<html lang="en">' in english
    assert "<h1>People&#x27;s diplomacy</h1>" in english
    assert f"City {contest}-m0" in english


async def test_the_description_keeps_its_shape_and_loses_any_markup(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    contest = f"safe-{uid}"
    practice = await seeded(service, contest)
    page = (await gateway.get(f"/en/contests/{contest}/nominations/n1/practices/{practice}")).text
    assert "<strong>twelve</strong>" in page
    assert "every month.<br>\nThey keep a register.</p>" in page
    assert "<li>a school exchange with &lt;b&gt;Kazan&lt;/b&gt;</li>" in page
    festival = '<a href="https://festival.example/2026?x=1&amp;y=2" rel="nofollow ugc noopener">'
    assert festival in page
    assert '<a href="https://city.example/diplomacy" rel="nofollow ugc noopener">' in page
    assert "<script>alert" not in page
    assert "<img" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


async def test_only_an_approved_practice_of_a_public_contest_has_a_page(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    contest = f"hidden-{uid}"
    practice = await seeded(service, contest, pending_in_n2=True)
    moved = await gateway.get(f"/en/contests/{contest}/nominations/n2/practices/{practice}")
    assert (moved.status_code, moved.headers["location"]) == (
        301,
        f"/en/contests/{contest}/nominations/n1/practices/{practice}",
    )
    pending = await gateway.get(f"/en/contests/{contest}/nominations/n2/practices/{contest}-q")
    assert (pending.status_code, pending.json()["code"]) == (404, "unknown_practice")
    draft = f"draft-{uid}"
    await service.seed(draft)
    await service.submit(draft, f"{draft}-p", f"{draft}-m0")
    await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{draft}-p"))
    hidden = await gateway.get(f"/en/contests/{draft}/nominations/n1/practices/{draft}-p")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "unknown_contest")
    other = await gateway.get(f"/en/contests/{draft}/nominations/n1/practices/{practice}")
    assert other.status_code == 404


async def test_the_vote_box_votes_here_only_while_open_and_only_for_a_single_choice(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    contest = f"box-{uid}"
    practice = await seeded(service, contest, approval_in_n3=True)
    path = f"/en/contests/{contest}/nominations/n1/practices/{practice}"
    page = (await gateway.get(path)).text
    assert '<button type="button" class="button vote" data-state="idle"' in page
    assert '<form id="token-form" class="token-form" hidden>' in page
    identity = (await gateway.get(f"/api/v1/contests/{contest}/identity")).json()  # carried, not asked for
    assert f'data-method="{identity["method"]}" data-sign-in-url=""' in page
    assert re.search(r'<script type="module" src="/assets/[0-9a-f]{16}/practice/main\.js">', page)
    assert f'href="/en/contests/{contest}/nominations/n1?practice={practice}#practice-{practice}"' in page
    approval = (await gateway.get(f"/en/contests/{contest}/nominations/n3/practices/{contest}-a")).text
    assert "ballot approves up to 2 practices: choose them on the nomination&#x27;s page." in approval
    assert 'class="button vote"' not in approval
    assert "practice/main.js" not in approval  # no script where nothing is voted
    await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=contest, phase=Phase.voting_closed))
    closed = (await gateway.get(path)).text
    assert "Voting has closed." in closed
    assert 'class="button vote"' not in closed
    assert 'id="identity"' not in closed
    assert "modulepreload" not in closed


def boot_of(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="boot">(.*?)</script>', page, re.S)
    assert found, "the page carries no data for its script"
    return json.loads(found.group(1))


async def test_the_contest_page_comes_with_its_first_cards_and_the_reads_its_script_would_make(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    contest = f"first-{uid}"
    practice = await seeded(service, contest, approval_in_n3=True, markup=True)
    answer = await gateway.get(f"/ru/contests/{contest}")
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert f'<h1 id="contest-title">Contest {contest}</h1>' in page
    assert '<p id="contest-phase" class="phase">Идёт голосование</p>' in page
    assert '<h2 id="practices-heading" data-t="practices">Практики</h2>' in page  # labels too, before a script
    assert 'data-lang="ru" aria-pressed="true"' in page
    card = f'<li class="card" id="practice-{practice}" data-practice="{practice}" data-title="Народная дипломатия"'
    assert card in page
    assert f'<a href="/ru/contests/{contest}/nominations/n1/practices/{practice}">Народная дипломатия</a>' in page
    assert 'aria-label="Голосовать за «Народная дипломатия» (City' in page
    assert "<b>" not in page
    assert "&lt;/script&gt;&lt;b&gt;&quot;Quoted&quot; &amp; &lt;marked&gt;&lt;/b&gt;" in page
    boot = boot_of(page)
    api = "/api/v1/contests/" + contest
    assert boot["contest"] == (await gateway.get(api)).json()
    assert boot["nominations"] == (await gateway.get(f"{api}/nominations")).json()
    assert boot["identity"] == (await gateway.get(f"{api}/identity")).json()
    practices = (await gateway.get(f"{api}/practices", params={"nomination": "n1", "limit": 1000})).json()
    assert (boot["nomination"], boot["practices"]) == ("n1", practices["items"])
    assert [p["title"]["en"] for p in boot["practices"]][-1] == MARKUP
    places = (await gateway.get("/api/v1/municipalities", params={"ids": [f"{contest}-m0", f"{contest}-m1"]})).json()[
        "items"
    ]
    assert boot["places"] == {m["id"]: m for m in places}

    approval = (await gateway.get(f"/en/contests/{contest}/nominations/n3")).text
    assert boot_of(approval)["nomination"] == "n3"
    assert '<button type="button" class="vote choose" disabled' in approval
    again = await gateway.get(f"/ru/contests/{contest}", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    unknown = await gateway.get(f"/en/contests/nothing-{uid}")
    assert unknown.status_code == 200
    assert 'id="boot"' not in unknown.text  # the shell: its script finds a contest
