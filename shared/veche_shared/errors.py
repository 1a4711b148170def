"""Domain errors: what a rule refused, as a kind, a machine code and a message; never an HTTP status.

Services raise these; the RPC envelope carries kind, code, message and details; the edge (the gateway) turns
a kind into an HTTP status with HTTP_STATUS, the one table of that mapping.
"""

from enum import StrEnum
from typing import Any, Literal

import nats.errors
import nats.js.errors

# Every machine code a refusal may carry: the `code` of a problem document (and of an RPC refusal), which clients
# branch on. Published in the gateway's OpenAPI document as an enum; adding one is a change to this list.
ErrorCode = Literal[
    "already_exists",
    "already_voted",
    "audit_unavailable",
    "annulment_conflict",
    "bad_choices",
    "bad_cosignature",
    "bad_cursor",
    "bad_expiry",
    "bad_reply",
    "bad_request",
    "bad_sizes",
    "bad_tile_path",
    "bad_window",
    "ballots_counted",
    "body_too_large",
    "bus_unavailable",
    "checkpoint_refused",
    "closing_in_past",
    "code_refused",
    "contest_final",
    "duplicate_choice",
    "empty_file",
    "forbidden",
    "http_error",
    "illegal_status_change",
    "illegal_transition",
    "import_conflicts",
    "import_rejected",
    "internal_error",
    "invalid_id_token",
    "invalid_identity",
    "invalid_photo",
    "invalid_proof_of_work",
    "invalid_request",
    "invitation_expired",
    "invitation_revoked",
    "ledger_unavailable",
    "log_hidden",
    "method_not_allowed",
    "missing_claim",
    "no_ballot",
    "no_checkpoint",
    "no_id_token",
    "no_role",
    "no_roll_claim",
    "no_sign_in",
    "no_tile",
    "nomination_archived",
    "not_certified",
    "not_found",
    "not_in_log",
    "not_on_roll",
    "not_pending",
    "not_resubmittable",
    "not_utf8",
    "not_votable",
    "nothing_to_vote_for",
    "origin_not_allowed",
    "provider_refused",
    "provider_unavailable",
    "rate_limited",
    "roll_changed",
    "roll_final",
    "roll_locked",
    "roll_needs_jwt",
    "same_phase",
    "search_too_wide",
    "service_timeout",
    "service_unavailable",
    "settings_locked",
    "sign_in_replayed",
    "sign_in_unconfigured",
    "stale_version",
    "streams_full",
    "submissions_closed",
    "too_few_choices",
    "too_many_choices",
    "too_many_photos",
    "too_many_streams",
    "unauthenticated",
    "unknown_contest",
    "unknown_invitation",
    "unknown_key",
    "unknown_municipality",
    "unknown_nomination",
    "unknown_photo",
    "unknown_practice",
    "unknown_witness",
    "unsupported_media_type",
    "voting_closed",
    "voting_not_open",
    "writer_busy",
    "wrong_identity_mode",
    "wrong_state",
]


class ErrorKind(StrEnum):
    bad_request = "bad_request"
    invalid = "invalid"
    unauthenticated = "unauthenticated"
    forbidden = "forbidden"
    not_found = "not_found"
    conflict = "conflict"
    too_many = "too_many"
    internal = "internal"
    unavailable = "unavailable"
    timeout = "timeout"


HTTP_STATUS: dict[ErrorKind, int] = {
    ErrorKind.bad_request: 400,
    ErrorKind.invalid: 422,
    ErrorKind.unauthenticated: 401,
    ErrorKind.forbidden: 403,
    ErrorKind.not_found: 404,
    ErrorKind.conflict: 409,
    ErrorKind.too_many: 429,
    ErrorKind.internal: 500,
    ErrorKind.unavailable: 503,
    ErrorKind.timeout: 504,
}


def http_status(kind: ErrorKind) -> int:
    """The HTTP status the edge answers a refusal of this kind with."""
    return HTTP_STATUS[kind]


class DomainError(Exception):
    """A refusal: the base of every error that crosses the RPC boundary as a typed answer."""

    kind = ErrorKind.invalid

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: list[dict[str, Any]] | None = None,
        *,
        kind: ErrorKind | None = None,
    ):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details or []
        if kind is not None:
            self.kind = kind

    @property
    def status(self) -> int:
        return http_status(self.kind)


class BadRequest(DomainError):
    """The request cannot be understood in its context (e.g. a sign-in answer without its sign-in)."""

    kind = ErrorKind.bad_request


class Invalid(DomainError):
    kind = ErrorKind.invalid


class Unauthenticated(DomainError):
    kind = ErrorKind.unauthenticated


class Forbidden(DomainError):
    kind = ErrorKind.forbidden


class NotFound(DomainError):
    kind = ErrorKind.not_found


class Conflict(DomainError):
    kind = ErrorKind.conflict


class TooMany(DomainError):
    kind = ErrorKind.too_many


class Unavailable(DomainError):
    kind = ErrorKind.unavailable


class UnknownContest(NotFound):
    def __init__(self, contest: str):
        super().__init__("unknown_contest", f"no contest {contest}")


class UnknownNomination(NotFound):
    def __init__(self, contest: str, nomination: str):
        super().__init__("unknown_nomination", f"no nomination {nomination} in {contest}")


class VersionConflict(Conflict):
    """Optimistic concurrency: the entity moved on since the caller read it."""

    def __init__(self, message: str):
        super().__init__("stale_version", message)


class AlreadyExists(Conflict):
    def __init__(self, message: str):
        super().__init__("already_exists", message)


class BadCursor(Invalid):
    def __init__(self) -> None:
        super().__init__("bad_cursor", "the cursor is not one this service gave out")


class AlreadyVoted(Conflict):
    def __init__(self) -> None:
        super().__init__("already_voted", "this voter has already voted in this nomination")


class VotingClosed(Forbidden):
    def __init__(self) -> None:
        super().__init__("voting_closed", "voting is not open in this contest")


class NotVotable(Invalid):
    """A practice of the ballot is not an approved practice of this nomination; details name it and why."""

    def __init__(self, practice: str, why: str):
        detail = {"practice": practice, "why": why}
        super().__init__("not_votable", f"practice {practice} cannot be voted for in this nomination: {why}", [detail])


class DuplicateChoice(Invalid):
    def __init__(self, practices: list[str]):
        message = f"a ballot approves each practice once: {', '.join(practices)} repeated"
        super().__init__("duplicate_choice", message, [{"practices": practices}])


class TooManyChoices(Invalid):
    def __init__(self, chosen: int, max_choices: int):
        message = f"{chosen} practices chosen; this nomination allows at most {max_choices}"
        super().__init__("too_many_choices", message, [{"chosen": chosen, "max_choices": max_choices}])


class TooFewChoices(Invalid):
    def __init__(self, chosen: int, min_choices: int):
        message = f"{chosen} practices chosen; this nomination needs at least {min_choices}"
        super().__init__("too_few_choices", message, [{"chosen": chosen, "min_choices": min_choices}])


class InvalidIdentity(Forbidden):
    def __init__(self, why: str):
        super().__init__("invalid_identity", f"the voter's identity token is not valid: {why}")


class ServiceUnavailable(Unavailable):
    """No instance of the service answers its subject."""

    def __init__(self, subject: str):
        super().__init__("service_unavailable", f"no service answers {subject}")


class ServiceTimeout(DomainError):
    kind = ErrorKind.timeout

    def __init__(self, subject: str):
        super().__init__("service_timeout", f"{subject} did not answer in time")


# A bus that did not answer: a timeout, no responders (a stream without a leader during a node's failover), a
# connection being re-established. Never a 500: the edge answers 503 with Retry-After, and so does an RPC.
BUS_FAULTS: tuple[type[BaseException], ...] = (
    TimeoutError,  # nats-py's TimeoutError is one
    nats.errors.NoRespondersError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.StaleConnectionError,
    nats.errors.OutboundBufferLimitError,
    nats.js.errors.ServiceUnavailableError,
    nats.js.errors.NoStreamResponseError,
)


def bus_unavailable() -> Unavailable:
    return Unavailable("bus_unavailable", "the message bus did not answer in time; try again")
