"""Loads the demo contest forum-2018 through the submissions service; safe to run again."""

import json
from importlib import resources
from typing import Any, TypeVar

from nats.aio.client import Client
from pydantic import BaseModel

from veche_shared.contracts import submissions as s
from veche_shared.contracts.catalog import Contest, Phase
from veche_shared.errors import DomainError
from veche_shared.operations import submissions as ops
from veche_shared.rpc import Operation, call

Req = TypeVar("Req", bound=BaseModel)
Rep = TypeVar("Rep")


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("veche_dev.demo").joinpath("forum-2018.json").read_text("utf-8"))
    return data


async def _ask(nc: Client, op: Operation[Req, Rep], payload: Req) -> Rep:
    return await call(nc, op, payload, timeout=10)


async def _create(nc: Client, op: Operation[Req, Rep], payload: Req) -> None:
    try:
        await _ask(nc, op, payload)
    except DomainError as exc:
        if exc.code != "already_exists":
            raise


async def load_demo(nc: Client) -> Contest:
    """Create what is missing, approve the practices and open voting."""
    data = demo_data()
    contest_id = data["contest"]["id"]
    await _create(nc, ops.CONTEST_CREATE, s.CreateContest.model_validate(data["contest"]))
    for nomination in data["nominations"]:
        await _create(nc, ops.NOMINATION_CREATE, s.CreateNomination(contest=contest_id, **nomination))
    for municipality in data["municipalities"]:
        await _create(nc, ops.MUNICIPALITY_REGISTER, s.RegisterMunicipality.model_validate(municipality))
    contest = await _ask(nc, ops.CONTEST_GET, s.GetContest(contest=contest_id))
    if contest.phase in (Phase.draft, Phase.submissions_open):
        for practice in data["practices"]:
            await _create(nc, ops.PRACTICE_SUBMIT, s.SubmitPractice(contest=contest_id, **practice))
            await _ask(nc, ops.PRACTICE_APPROVE, s.ModeratePractice(practice=practice["id"]))
    for current, target in ((Phase.draft, Phase.submissions_open), (Phase.submissions_open, Phase.voting_open)):
        if contest.phase == current:
            contest = await _ask(nc, ops.CONTEST_CHANGE_PHASE, s.ChangePhase(contest=contest_id, phase=target))
    return contest
