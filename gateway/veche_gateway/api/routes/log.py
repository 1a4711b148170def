"""The nominations' transparency logs, read-only and cacheable: signed checkpoints, C2SP tiles and proofs.

Never on the vote path. A checkpoint is served only if the configured log key signed it for this nomination's
origin, whatever came over the bus (docs/verifiability.md). Immutable answers are kept in memory (log_reads.py).
"""

import base64
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from veche_gateway.api.deps import Refusals
from veche_gateway.api.upstream import ask
from veche_gateway.state import gateway
from veche_shared.contracts import tlog as t
from veche_shared.contracts.common import Contract, Id
from veche_shared.errors import Unavailable
from veche_shared.operations import results as ops
from veche_shared.tlog.keys import log_origin
from veche_shared.tlog.note import NoteError, open_checkpoint

log = logging.getLogger("veche.gateway.log")
router = APIRouter(prefix="/api/v1", tags=["transparency log"], responses=Refusals)
LOG = "/contests/{contest}/nominations/{nomination}/log"
MAX_SIZE = 2**53 - 1  # a JSON number every client reads exactly
IMMUTABLE = "public, max-age=31536000, immutable"
MOVING = "public, max-age=2"
TEXT: dict[str, Any] = {"content": {"text/plain": {}}}
TilePath = Annotated[
    str, Path(max_length=60, pattern=r"^[0-9]{1,2}/(x[0-9]{3}/)*[0-9]{3}(\.p/[0-9]{1,3})?$", examples=["0/000.p/7"])
]


@router.get("/log/key", response_class=Response, responses={200: TEXT})
async def log_key(request: Request) -> Response:
    """The public key that signs every log checkpoint, as a C2SP verifier key (`<name>+<key id>+<key>`)."""
    settings = gateway(request).settings
    return Response(f"{settings.log_verifier_key}\n", media_type="text/plain", headers={"Cache-Control": MOVING})


def public_now(request: Request, contest: str, nomination: str) -> bool:
    """Whether the board this gateway holds for the nomination shows its results: its log is public then."""
    held = gateway(request).boards.known(contest, nomination)
    return held is not None and held.snapshot is not None and held.snapshot.board.visible


@router.get(f"{LOG}/checkpoint", response_class=Response, responses={200: TEXT})
async def checkpoint(request: Request, contest: Id, nomination: Id) -> Response:
    """The latest signed checkpoint of the nomination's log (C2SP tlog-checkpoint in a signed note), with the
    witnesses' cosignatures. None while the contest's results are hidden (404 log_hidden)."""
    note = await latest_checkpoint(request, contest, nomination)
    return Response(note, media_type="text/plain; charset=utf-8", headers={"Cache-Control": MOVING})


async def latest_checkpoint(request: Request, contest: str, nomination: str) -> str:
    """The latest signed checkpoint's note, read anew at most once a second while the log is public."""
    key = ("checkpoint", contest, nomination)
    public = public_now(request, contest, nomination)
    return await gateway(request).log_heads.read(key, public, lambda: verified_checkpoint(request, contest, nomination))


async def verified_checkpoint(request: Request, contest: str, nomination: str) -> str:
    """The results service's latest checkpoint of the log, if the log key signed it for this log's origin."""
    signed = await ask(request, ops.LOG_CHECKPOINT, t.LogQuery(contest=contest, nomination=nomination))
    settings = gateway(request).settings
    try:
        open_checkpoint(signed.note, settings.log_verifier(), log_origin(settings.log_origin, contest, nomination))
    except NoteError as exc:
        log.error("refused a checkpoint of %s/%s: %s", contest, nomination, exc)
        raise Unavailable("checkpoint_refused", "the checkpoint is not signed by the log key") from None
    return signed.note


@router.get(
    f"{LOG}/tile/{{path:path}}", response_class=Response, responses={200: {"content": {"application/octet-stream": {}}}}
)
async def tile(request: Request, contest: Id, nomination: Id, path: TilePath) -> Response:
    """A C2SP tlog-tiles hash tile (`<level>/<index>[.p/<width>]`): a full tile never changes."""
    query = t.TileQuery(contest=contest, nomination=nomination, path=f"tile/{path}")
    found = await gateway(request).log_reads.read(
        ("tile", contest, nomination, path),
        public_now(request, contest, nomination),
        lambda: ask(request, ops.LOG_TILE, query),
        lambda answer: answer.full,
    )
    cache = IMMUTABLE if found.full else MOVING
    return Response(
        base64.b64decode(found.data), media_type="application/octet-stream", headers={"Cache-Control": cache}
    )


@router.get(f"{LOG}/inclusion")
async def inclusion(
    request: Request,
    response: Response,
    contest: Id,
    nomination: Id,
    index: Annotated[int, Query(ge=0, le=MAX_SIZE, description="the entry's index in the log")],
    size: Annotated[
        int | None, Query(ge=1, le=MAX_SIZE, description="a signed checkpoint's size (default: latest)")
    ] = None,
) -> t.InclusionProof:
    """The RFC 9162 inclusion proof of one entry to a signed checkpoint, with that checkpoint."""
    response.headers["Cache-Control"] = IMMUTABLE if size else MOVING
    public = public_now(request, contest, nomination)
    if size is None and public:  # the latest is a signed size too: its proof is kept like any other
        latest = int((await latest_checkpoint(request, contest, nomination)).split("\n", 2)[1])
        size = latest if index < latest else None  # newer than the one held here: the service's latest has it
    query = t.InclusionQuery(contest=contest, nomination=nomination, index=index, size=size)
    return await gateway(request).log_reads.read(
        ("inclusion", contest, nomination, index, size),
        public,
        lambda: ask(request, ops.LOG_INCLUSION, query),
        lambda _: size is not None,  # asked of the results service's latest (a hidden log: refused), it moves
    )


@router.get(f"{LOG}/leaf")
async def leaf(
    request: Request,
    response: Response,
    contest: Id,
    nomination: Id,
    leaf: Annotated[str, Query(pattern=t.B64_HASH, description="the receipt's leaf hash, base64 (URL-encoded)")],
    seq: Annotated[int, Query(ge=1, le=MAX_SIZE, description="the ballot's ledger sequence, from `my-ballot`")],
) -> t.LeafIndex:
    """Where a ballot's entry is in the log (`my-ballot` gives its leaf and sequence): its index, then ask
    `inclusion?index=` for the proof. It tells only what the level-0 tiles already publish."""
    query = t.LeafQuery(contest=contest, nomination=nomination, leaf=leaf, seq=seq)
    found = await gateway(request).log_reads.read(
        ("leaf", contest, nomination, leaf, seq),
        public_now(request, contest, nomination),
        lambda: ask(request, ops.LOG_LEAF, query),
        lambda _: True,
    )
    response.headers["Cache-Control"] = IMMUTABLE  # an entry never moves
    return found


@router.get(f"{LOG}/consistency")
async def consistency(
    request: Request,
    response: Response,
    contest: Id,
    nomination: Id,
    old: Annotated[int, Query(ge=1, le=MAX_SIZE, description="older tree size: a checkpoint's or a board's log_size")],
    new: Annotated[int, Query(ge=1, le=MAX_SIZE, description="size of the newer signed checkpoint")],
) -> t.ConsistencyProof:
    """The RFC 9162 proof that the signed checkpoint of size `new` extends the one of size `old`."""
    query = t.ConsistencyQuery(contest=contest, nomination=nomination, old=old, new=new)
    response.headers["Cache-Control"] = IMMUTABLE
    return await gateway(request).log_reads.read(
        ("consistency", contest, nomination, old, new),
        public_now(request, contest, nomination),
        lambda: ask(request, ops.LOG_CONSISTENCY, query),
        lambda _: True,
    )


class Cosignature(Contract):
    size: int = Field(ge=0, le=MAX_SIZE, description="the size of the signed checkpoint it cosigns")
    cosignature: str = Field(
        max_length=300, pattern=t.COSIGNATURE_LINE, description="the witness's note signature line, `— <name> <base64>`"
    )


@router.post(f"{LOG}/cosignature")
async def cosignature(request: Request, contest: Id, nomination: Id, body: Cosignature) -> Response:
    """A witness's C2SP cosignature of a signed checkpoint (`veche witness`); kept and shown with the checkpoint
    when a configured witness key made it over that checkpoint. Answers the checkpoint with its cosignatures."""
    query = t.CosignatureSubmit(contest=contest, nomination=nomination, size=body.size, cosignature=body.cosignature)
    signed = await ask(request, ops.LOG_COSIGN, query)
    gateway(request).log_heads.forget(("checkpoint", contest, nomination))
    return Response(signed.note, media_type="text/plain; charset=utf-8")
