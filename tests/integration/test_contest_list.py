"""The list of public votes: / sends a visitor to it in their language; drafts never appear; open votes first,
the state said in words; filters by state and by a city taking part. Gateway in-process, the submissions service,
real NATS and database."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway
from tests.submissions_helpers import Service
from veche_gateway.settings import GatewaySettings
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Phase
from veche_shared.operations import submissions as ops


@pytest.fixture
async def gateway(infra: dict[str, str], service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"])) as gw:
        yield gw.client


async def contest(service: Service, cid: str, phase: Phase, *, practice: bool = True) -> None:
    await service.seed(cid)  # draft, nomination n1, municipality <cid>-m0 ("City <cid>-m0")
    if practice:
        await service.submit(cid, f"{cid}-p", f"{cid}-m0")
        await service.ask(ops.PRACTICE_APPROVE, s.ModeratePractice(practice=f"{cid}-p"))
    for step in (Phase.submissions_open, Phase.voting_open, Phase.voting_closed):
        if phase == Phase.draft:
            break
        await service.ask(ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=cid, phase=step))
        if step == phase:
            break


def listed(page: str, uid: str) -> list[str]:
    return re.findall(rf'<a href="/(?:en|ru)/contests/([^"]*{uid}[^"]*)">', page)


async def test_the_list_shows_public_votes_open_first_with_their_state_in_words(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    await contest(service, f"a-closed-{uid}", Phase.voting_closed)
    await contest(service, f"b-open-{uid}", Phase.voting_open)
    await contest(service, f"c-draft-{uid}", Phase.draft)
    home = await gateway.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert (home.status_code, home.headers["location"]) == (302, "/ru/")
    assert (await gateway.get("/", headers={"Accept-Language": "de, en;q=0.5"})).headers["location"] == "/en/"
    page = (await gateway.get("/en/")).text
    assert '<html lang="en">' in page
    assert listed(page, uid) == [f"b-open-{uid}", f"a-closed-{uid}"]
    assert 'data-icon="●">Voting is open</p>' in page
    assert 'data-icon="■">Voting has closed</p>' in page
    russian = (await gateway.get("/ru/", params={"status": "voting_closed"})).text
    assert listed(russian, uid) == [f"a-closed-{uid}"]
    assert "Голосование завершено" in russian
    assert (await gateway.get("/en/", params={"status": "draft"})).status_code == 422


async def test_the_city_filter_keeps_the_votes_that_city_takes_part_in(
    gateway: httpx.AsyncClient, service: Service, uid: str
) -> None:
    await contest(service, f"with-{uid}", Phase.voting_open)
    await contest(service, f"without-{uid}", Phase.submissions_open, practice=False)
    page = (await gateway.get("/en/", params={"city": f"with-{uid}-m0"})).text
    assert listed(page, uid) == [f"with-{uid}"]
    assert f'value="with-{uid}-m0"' in page
    nobody = (await gateway.get("/en/", params={"city": f"nowhere-{uid}"})).text
    assert listed(nobody, uid) == []
    assert "No vote matches." in nobody
