"""The caller's side of request-reply: the typed reply of an operation, or the domain error it answered with."""

import json
from collections.abc import Callable

import nats.errors
from nats.aio.client import Client
from pydantic import BaseModel, ValidationError

from veche_shared.contracts.audit import Actor
from veche_shared.contracts.common import RpcRefusal
from veche_shared.errors import DomainError, ErrorKind, ServiceTimeout, ServiceUnavailable
from veche_shared.logs import request_id_var
from veche_shared.rpc.actors import OPERATOR_KEY_HEADER, actor_headers, operator_key_var
from veche_shared.rpc.operation import Operation, Rep, Req

REQUEST_ID_HEADER = "X-Request-Id"


async def call(
    nc: Client,
    op: Operation[Req, Rep],
    payload: Req,
    *,
    timeout: float,
    request_id: str | None = None,
    actor: Actor | None = None,
    on_recorded: Callable[[str], None] | None = None,
) -> Rep:
    """Send a request and return the operation's reply, validated; raise the service's DomainError,
    ServiceUnavailable when nobody answers or ServiceTimeout when nobody answered in time. on_recorded gets the id
    of the audit entry the service appended for the change it made, if it made one."""
    headers = {REQUEST_ID_HEADER: request_id or request_id_var.get()} | actor_headers(actor)
    subject, key = op.subject, operator_key_var.get()
    if key is not None and op.by_key is not None:  # an operator command: the service checks its key
        subject, headers = op.keyed_subject, headers | {OPERATOR_KEY_HEADER: key}
    try:
        reply = await nc.request(subject, _wire(payload), timeout=op.timeout or timeout, headers=headers)
    except nats.errors.NoRespondersError:
        raise ServiceUnavailable(op.subject) from None
    except nats.errors.TimeoutError:
        raise ServiceTimeout(op.subject) from None
    data, recorded = unwrap_recorded(reply.data)
    if recorded and on_recorded is not None:
        on_recorded(recorded)
    try:
        return op.adapter.validate_python(data)
    except ValidationError as exc:  # a service of another version: our fault, not the caller's
        raise DomainError(
            "bad_reply", f"{op.subject} answered {exc.error_count()} invalid fields", kind=ErrorKind.internal
        ) from None


def _wire(payload: BaseModel) -> bytes:
    """The fields the caller set, plus generated ones (ids): a partial update can then tell "left out"
    (keep) from an explicit null (clear); static defaults are the same on the service's side."""
    generated = {name for name, field in type(payload).model_fields.items() if field.default_factory is not None}
    return payload.model_dump_json(include=payload.model_fields_set | generated).encode()


def unwrap(data: bytes) -> object:
    """The `data` of a reply envelope, or its refusal raised as a DomainError."""
    return unwrap_recorded(data)[0]


def unwrap_recorded(data: bytes) -> tuple[object, str | None]:
    """unwrap, and the id of the audit entry the reply names (the service recorded the change)."""
    body = json.loads(data)
    if body.get("ok"):
        recorded = body.get("audit")
        return body.get("data"), recorded if isinstance(recorded, str) else None
    try:
        refusal = RpcRefusal.model_validate(body["error"])
    except ValidationError:  # e.g. a code this version does not know: a service of another version
        raise DomainError(
            "bad_reply", "a service answered a refusal this caller cannot read", kind=ErrorKind.internal
        ) from None
    raise DomainError(refusal.code, refusal.message, refusal.details, kind=refusal.kind)
