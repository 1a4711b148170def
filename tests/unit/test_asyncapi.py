"""The AsyncAPI document of the bus: generated from the catalogue, valid AsyncAPI 3, checked in as it is made."""

import json
from pathlib import Path

import httpx
import jsonschema_rs  # comes with schemathesis (dev group)

from veche_gateway.app import build_app
from veche_gateway.settings import GatewaySettings
from veche_shared import asyncapi
from veche_shared.operations import ALL
from veche_shared.operations.channels import CHANNELS

ROOT = Path(__file__).parents[2]
# the official schema, from github.com/asyncapi/spec-json-schemas schemas/3.0.0-without-$id.json
SPEC = ROOT / "tests" / "data" / "asyncapi-3.0.0.schema.json"


def test_the_checked_in_document_is_the_generated_one() -> None:
    checked_in = (ROOT / "docs" / "asyncapi.json").read_text()
    assert checked_in == asyncapi.render(), "run: .venv/bin/python -m veche_shared.asyncapi > docs/asyncapi.json"


def test_it_is_valid_asyncapi_3() -> None:
    errors = list(jsonschema_rs.validator_for(json.loads(SPEC.read_text())).iter_errors(asyncapi.document()))
    assert [e.message[:200] for e in errors] == []


def test_every_operation_and_channel_is_in_it_and_every_reference_resolves() -> None:
    doc = asyncapi.document()
    assert {o["channel"]["$ref"].removeprefix("#/channels/") for o in doc["operations"].values()} >= {
        asyncapi.channel_key(f"{op.service}.{op.name}") for op in ALL
    }
    assert {c["address"] for c in doc["channels"].values()} >= {op.subject for op in ALL} | {
        c.address for c in CHANNELS
    }
    refs: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            refs.update(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    for ref in refs:
        target: object = doc
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict), ref
            assert part in target, ref
            target = target[part]


async def test_the_gateway_serves_it() -> None:
    app = build_app(GatewaySettings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        answer = await client.get("/asyncapi.json")
    assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")
    assert answer.json() == asyncapi.document()
