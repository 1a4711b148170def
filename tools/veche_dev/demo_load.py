"""Loads the demo contest forum-2018 through the submissions service; safe to run again."""

import json
from importlib import resources
from typing import Any

from nats.aio.client import Client

from veche_shared import subjects
from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, Phase
from veche_shared.rpc import RpcError, call


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("veche_dev.demo").joinpath("forum-2018.json").read_text("utf-8"))
    return data


async def _ask(nc: Client, operation: str, payload: Any) -> Any:
    return await call(nc, subjects.rpc(s.SERVICE, operation), payload, timeout=10)


async def _create(nc: Client, operation: str, payload: Any) -> None:
    try:
        await _ask(nc, operation, payload)
    except RpcError as exc:
        if exc.code != "already_exists":
            raise


async def load_demo(nc: Client) -> Contest:
    """Create what is missing, approve the practices and open voting."""
    data = demo_data()
    contest_id = data["contest"]["id"]
    await _create(nc, "contest.create", s.CreateContest.model_validate(data["contest"]))
    for nomination in data["nominations"]:
        await _create(nc, "nomination.create", s.CreateNomination(contest=contest_id, **nomination))
    for municipality in data["municipalities"]:
        await _create(nc, "municipality.register", s.RegisterMunicipality.model_validate(municipality))
    contest = Contest.model_validate(await _ask(nc, "contest.get", s.GetContest(contest=contest_id)))
    if contest.phase in (Phase.draft, Phase.submissions_open):
        for practice in data["practices"]:
            await _create(nc, "practice.submit", s.SubmitPractice(contest=contest_id, **practice))
            await _ask(nc, "practice.approve", s.ModeratePractice(practice=practice["id"]))
    for current, target in ((Phase.draft, Phase.submissions_open), (Phase.submissions_open, Phase.voting_open)):
        if contest.phase == current:
            answer = await _ask(nc, "contest.phase", s.ChangePhase(contest=contest_id, phase=target))
            contest = Contest.model_validate(answer)
    return contest
