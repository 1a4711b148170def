"""A nomination's transparency log as the results service answers it: signed checkpoints, tiles and proofs.

Hashes travel as standard base64, as in C2SP checkpoints; docs/verifiability.md says how to check each.
"""

from datetime import datetime

from pydantic import Field

from veche_shared.contracts.common import Contract, Id

B64_HASH = r"^[A-Za-z0-9+/]{43}=$"
COSIGNATURE_LINE = r"^\u2014 [^\s+]+ [A-Za-z0-9+/=]+\n?$"


class LogQuery(Contract):
    contest: Id
    nomination: Id


class SignedCheckpoint(Contract):
    contest: Id
    nomination: Id
    size: int = Field(ge=0, description="entries in the log")
    note: str = Field(description="the C2SP checkpoint as a signed note, with any witness cosignatures")
    signed_at: datetime


class TileQuery(LogQuery):
    path: str = Field(
        max_length=80,
        pattern=r"^tile/[0-9]{1,2}/(x[0-9]{3}/)*[0-9]{3}(\.p/[0-9]{1,3})?$",
        examples=["tile/0/x001/234.p/17"],
        description="a C2SP tlog-tiles path of a hash tile",
    )


class LogTile(Contract):
    data: str = Field(description="the tile's hashes, concatenated, in base64")
    full: bool = Field(description="a full tile never changes (cache it for good); a partial one grows")


class InclusionQuery(LogQuery):
    index: int = Field(ge=0, description="the entry's index in the log")
    size: int | None = Field(None, ge=1, description="a signed checkpoint's size; the latest one if absent")


class InclusionProof(Contract):
    index: int = Field(ge=0)
    size: int = Field(ge=1)
    hashes: list[str] = Field(description="RFC 9162 audit path, leaf side first")
    checkpoint: str = Field(description="the signed checkpoint of `size`")
    signed_at: datetime | None = Field(None, description="when the platform signed it (its word: not in the note)")


class LeafQuery(LogQuery):
    """Where a ballot's entry is in its log: the receipt's leaf hash, found between the signed checkpoints around
    the ballot's ledger sequence (both from `my-ballot`); the log publishes every leaf hash in its tiles anyway."""

    leaf: str = Field(pattern=B64_HASH, description="the receipt's leaf hash, base64")
    seq: int = Field(ge=1, description="the ballot's ledger sequence (`my-ballot`'s `sequence`)")


class LeafIndex(Contract):
    index: int = Field(ge=0, description="the entry's index in the log: ask `inclusion?index=` for its proof")
    size: int = Field(ge=1, description="size of the first signed checkpoint that holds it")


class ConsistencyQuery(LogQuery):
    old: int = Field(ge=1, description="size of the older tree (a signed checkpoint's, or a sealed board's log_size)")
    new: int = Field(ge=1, description="size of the newer signed checkpoint")


class CosignatureSubmit(LogQuery):
    """A witness's C2SP cosignature of one signed checkpoint, as its note signature line."""

    size: int = Field(ge=0, description="the size of the signed checkpoint it cosigns")
    cosignature: str = Field(max_length=300, pattern=COSIGNATURE_LINE, description="`— <witness name> <base64>`")


class FinalCheckpoint(Contract):
    """A nomination's log as certified: the signed checkpoint of all its entries at publication."""

    size: int = Field(ge=0, description="entries: ballots plus annulled ballots")
    root: str = Field(pattern=B64_HASH, description="RFC 9162 root hash, base64")
    checkpoint: str = Field(description="the C2SP signed note of this size and root")


class ConsistencyProof(Contract):
    old: int
    new: int
    hashes: list[str] = Field(description="RFC 9162 consistency proof")
