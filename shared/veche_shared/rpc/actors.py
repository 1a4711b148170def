"""Who asked for a change, carried beside the request (header `Veche-Actor`), and whether the service recorded it.

The caller (the gateway for a route, an operator command) names its actor; `serve` puts it in `actor_var` for the
handler; a service that appended the change's audit entry puts the entry's id in `recorded_var`, and the reply
envelope carries it back (`audit`), so the gateway does not record the same change a second time.
"""

from contextvars import ContextVar

from pydantic import ValidationError

from veche_shared.contracts.audit import Actor
from veche_shared.operators import OperatorKey, Role, find_operator, holds

ACTOR_HEADER = "Veche-Actor"
OPERATOR_KEY_HEADER = "Veche-Operator-Key"  # an operator command's key, on an operation's keyed subject only

actor_var: ContextVar[Actor | None] = ContextVar("actor", default=None)
recorded_var: ContextVar[str | None] = ContextVar("recorded", default=None)
# Set by an operator command (never by a service): its requests of operations with `by_key` go to the keyed subject
# with this key, and the service records the key's operator.
operator_key_var: ContextVar[str | None] = ContextVar("operator_key", default=None)


def actor_headers(actor: Actor | None) -> dict[str, str]:
    return {ACTOR_HEADER: actor.model_dump_json(exclude_defaults=True)} if actor is not None else {}


def read_actor(headers: dict[str, str] | None) -> Actor | None:
    """The actor a request names; None when it names none or names one that is not valid."""
    raw = (headers or {}).get(ACTOR_HEADER)
    if not raw:
        return None
    try:
        return Actor.model_validate_json(raw)
    except ValidationError:
        return None


def keyed_actor(headers: dict[str, str] | None, keys: list[OperatorKey], role: Role) -> Actor | None:
    """The operator whose key (of at least role) a command's request carries, as its actor; None if it carries none."""
    operator = find_operator(keys, (headers or {}).get(OPERATOR_KEY_HEADER, ""))
    if operator is None or not holds(operator, role):
        return None
    named = read_actor(headers)
    return Actor(kind="operator", name=operator.name, role=operator.role, via="cli", action=named and named.action)
