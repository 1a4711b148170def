"""An RPC operation, declared once: its subject, request model and reply type (see veche_shared.operations)."""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, TypeAdapter

from veche_shared import subjects

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
    adapter: TypeAdapter[Rep] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.reply))

    @property
    def subject(self) -> str:
        return subjects.rpc(self.service, self.name)
