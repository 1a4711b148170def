"""Building blocks shared by all contracts."""

from datetime import UTC, datetime
from typing import Annotated, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema
from ulid import ULID

from veche_shared.errors import ErrorCode, ErrorKind
from veche_shared.subjects import TOKEN_PATTERN

Id = Annotated[str, StringConstraints(pattern=TOKEN_PATTERN), Field(examples=["forum-2018"])]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
T = TypeVar("T")


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("may be left out to keep the value, but not null")
    return value


def _no_default(schema: dict[str, object]) -> None:
    schema.pop("default", None)  # `null` is not a value of the schema; left out means "keep"


# A field of a partial update that may be left out (keep the value) but never cleared: null is refused, and the
# JSON schema does not call it nullable. Fields that can be cleared stay `X | None`. Bounds go inside T.
Omittable = Annotated[T | SkipJsonSchema[None], BeforeValidator(_refuse_null), Field(json_schema_extra=_no_default)]


def _whole_number(value: object) -> object:
    """JSON Schema counts 1.0 as an integer: take it as 1. Booleans and strings stay refused by the strict int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# after Field(..., strict=True) in an Annotated int: the schema keeps "integer" with its minimum and maximum
WholeNumber = BeforeValidator(_whole_number)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A ULID: unique, sortable by time, subject-safe."""
    return str(ULID())


class Contract(BaseModel):
    """Base of every message: unknown fields are refused, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Empty(Contract):
    """A query without arguments."""


class RpcRefusal(Contract):
    """The error of an RPC reply envelope: a domain error's kind, code, message and details."""

    kind: ErrorKind = Field(examples=[ErrorKind.conflict])
    code: ErrorCode = Field(examples=["already_voted"])
    message: str = Field(examples=["this voter has already voted in this nomination"])
    details: list[dict[str, object]] = Field(default_factory=list)


class ErrorBody(Contract):
    """A refusal: HTTP-like status, machine-readable code, human message."""

    status: int = Field(ge=400, le=599, examples=[409])
    code: ErrorCode = Field(examples=["already_voted"])
    message: str = Field(examples=["This voter has already voted in this nomination"])
    details: list[dict[str, object]] = Field(default_factory=list)
