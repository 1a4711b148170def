"""Error codes are one published list: the OpenAPI document states it, and a refusal with a code outside it
(a service of another version) is read as bad_reply, never passed on as a code clients do not know."""

import json
from typing import get_args

import pytest

from veche_gateway.app import build_app
from veche_gateway.settings import GatewaySettings
from veche_shared.errors import DomainError, ErrorCode, ErrorKind
from veche_shared.rpc.client import unwrap


def test_openapi_publishes_every_error_code() -> None:
    document = build_app(GatewaySettings(environment="dev")).openapi()
    code = document["components"]["schemas"]["Problem"]["properties"]["code"]
    assert sorted(code["enum"]) == sorted(get_args(ErrorCode))
    assert {"already_voted", "rate_limited", "unknown_contest", "internal_error"} <= set(code["enum"])


def test_a_known_refusal_keeps_its_code_and_kind() -> None:
    reply = {"ok": False, "error": {"kind": "conflict", "code": "already_voted", "message": "twice"}}
    with pytest.raises(DomainError) as raised:
        unwrap(json.dumps(reply).encode())
    assert (raised.value.code, raised.value.kind) == ("already_voted", ErrorKind.conflict)


def test_an_unknown_code_is_a_bad_reply() -> None:
    reply = {"ok": False, "error": {"kind": "conflict", "code": "made_up_code", "message": "?"}}
    with pytest.raises(DomainError) as raised:
        unwrap(json.dumps(reply).encode())
    assert (raised.value.code, raised.value.kind) == ("bad_reply", ErrorKind.internal)
