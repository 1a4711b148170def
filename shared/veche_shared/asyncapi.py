"""The AsyncAPI 3 document of the bus, generated from the RPC catalogue and the channels.

`python -m veche_shared.asyncapi > docs/asyncapi.json` writes the checked-in copy; a unit test keeps it equal to
what the code declares, and the gateway serves the live one at /asyncapi.json.
"""

import json
import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from veche_shared.contracts.common import RpcRefusal
from veche_shared.operations import ALL
from veche_shared.operations.channels import CHANNELS, Channel
from veche_shared.rpc import Operation

REF = "#/components/schemas/{model}"
Json = dict[str, Any]


class _Schemas:
    """Collects every model's JSON schema once, under components.schemas."""

    def __init__(self) -> None:
        self.defs: Json = {}

    def of(self, tp: Any) -> Json:
        schema = TypeAdapter(tp).json_schema(ref_template=REF)
        self.defs.update(schema.pop("$defs", {}))
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            self.defs[tp.__name__] = schema
            return {"$ref": REF.format(model=tp.__name__)}
        return schema


def channel_key(address: str) -> str:
    """The channel's name: its address without the parameters (catalog.contest, votes.cast, ...)."""
    return ".".join(part for part in address.split(".") if not part.startswith("{"))


def _reply_schema(schemas: _Schemas, op: Operation[Any, Any]) -> Json:
    ok = {"type": "object", "properties": {"ok": {"const": True}, "data": schemas.of(op.reply)}, "required": ["ok"]}
    refusal = schemas.of(RpcRefusal)
    error = {"type": "object", "properties": {"ok": {"const": False}, "error": refusal}, "required": ["ok", "error"]}
    return {"oneOf": [ok, error]}


def _parameters(address: str) -> Json:
    return {name: {"description": f"a subject token: {name}"} for name in re.findall(r"{(\w+)}", address)}


def _request_reply(doc: Json, schemas: _Schemas, op: Operation[Any, Any]) -> None:
    key = channel_key(f"{op.service}.{op.name}")
    doc["channels"][key] = {
        "address": op.subject,
        "description": f"Request-reply, queue group `{op.service}`.",
        **({"parameters": _parameters(op.subject)} if "{" in op.subject else {}),
        "messages": {"request": {"name": op.request.__name__, "payload": schemas.of(op.request)}},
    }
    doc["channels"][f"{key}.reply"] = {
        "address": None,
        "description": "The request's NATS reply subject (an inbox).",
        "messages": {"reply": {"name": f"{key}.reply", "payload": _reply_schema(schemas, op)}},
    }
    doc["operations"][key] = {
        "action": "receive",
        "summary": op.summary,
        "channel": {"$ref": f"#/channels/{key}"},
        "messages": [{"$ref": f"#/channels/{key}/messages/request"}],
        "reply": {
            "address": {"location": "$message.header#/replyTo", "description": "NATS's reply subject"},
            "channel": {"$ref": f"#/channels/{key}.reply"},
            "messages": [{"$ref": f"#/channels/{key}.reply/messages/reply"}],
        },
    }


def _one_way(doc: Json, schemas: _Schemas, channel: Channel) -> None:
    key = channel_key(channel.address)
    payload = schemas.of(channel.payload) if channel.payload is not None else {"description": "any bytes"}
    where = f"stream {channel.stream}" if channel.stream else "core NATS, not stored"
    doc["channels"][key] = {
        "address": channel.address,
        "description": f"{where}; {channel.producer} -> {', '.join(channel.consumers)}.",
        "parameters": _parameters(channel.address),
        "messages": {"message": {"name": key, "payload": payload}},
    }
    doc["operations"][f"{key}.send"] = {
        "action": "send",
        "summary": channel.summary,
        "channel": {"$ref": f"#/channels/{key}"},
        "messages": [{"$ref": f"#/channels/{key}/messages/message"}],
    }


def document() -> Json:
    """The whole document: every RPC operation, stream subject and live subject with its payload schema."""
    schemas = _Schemas()
    doc: Json = {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Veche bus",
            "version": "1",
            "description": "NATS subjects of Veche: request-reply operations (svc.*), streams CATALOG, VOTES and "
            "DEADLETTER, live leaderboards. Replies are envelopes: {ok: true, data} or {ok: false, error}.",
        },
        "defaultContentType": "application/json",
        "channels": {},
        "operations": {},
    }
    for op in ALL:
        _request_reply(doc, schemas, op)
    for channel in CHANNELS:
        _one_way(doc, schemas, channel)
    doc["components"] = {"schemas": dict(sorted(schemas.defs.items()))}
    return doc


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
