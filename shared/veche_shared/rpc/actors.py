"""Who asked for a change, carried beside the request (header `Veche-Actor`), and whether the service recorded it.

The caller (the gateway for a route, an operator command) names its actor; `serve` puts it in `actor_var` for the
handler; a service that appended the change's audit entry puts the entry's id in `recorded_var`, and the reply
envelope carries it back (`audit`), so the gateway does not record the same change a second time.
"""

from contextvars import ContextVar

from pydantic import ValidationError

from veche_shared.contracts.audit import Actor

ACTOR_HEADER = "Veche-Actor"

actor_var: ContextVar[Actor | None] = ContextVar("actor", default=None)
recorded_var: ContextVar[str | None] = ContextVar("recorded", default=None)


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
