"""An RPC operation, declared once: its subject, request model and reply type (see veche_shared.operations)."""

import re
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from pydantic import BaseModel, TypeAdapter

from veche_shared import subjects
from veche_shared.operators import Role

Req = TypeVar("Req", bound=BaseModel)
Rep = TypeVar("Rep")


@dataclass(frozen=True, eq=False)
class Operation(Generic[Req, Rep]):
    """svc.<service>.<name>, answered by one queue group; callers and servers both take it from the catalogue,
    so the subject, the request and the reply type cannot drift apart."""

    service: str
    name: str = field(metadata={"doc": "dotted <entity>.<verb>, e.g. contest.get"})
    request: type[Req]
    reply: type[Rep] = field(metadata={"doc": "a model, a list of models: anything a TypeAdapter takes"})
    summary: str
    timeout: float | None = field(default=None, metadata={"doc": "for slow operations: how long to wait"})
    by_key: Role | None = field(
        default=None, metadata={"doc": "the least operator role whose key the commands may ask it with (keyed_subject)"}
    )
    adapter: TypeAdapter[Rep] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.reply))

    @property
    def subject(self) -> str:
        return subjects.rpc(self.service, self.name)

    @property
    def subject_filter(self) -> str:
        """subject with each `{token}` of a parameterised name as `*`: what a NATS grant names."""
        return re.sub(r"{\w+}", "*", self.subject)

    def at(self, **tokens: str) -> "Operation[Req, Rep]":
        """The operation on one subject of a parameterised name, e.g. `leaderboard.sealed.{partition}` at one
        partition: served by the processes that own it, asked by callers that know which one they need."""
        return replace(self, name=self.name.format(**{name: subjects.token(value) for name, value in tokens.items()}))

    @property
    def keyed_subject(self) -> str:
        """svc.<service>.keyed.<name>: the same operation asked by an operator command, with an operator key the
        service checks itself (docs/adr/0017-the-writing-service-records-the-change.md); only the commands' NATS
        identity may ask here, and it may not ask on `subject`."""
        return subjects.rpc(self.service, f"keyed.{self.name}")
