"""C2SP signed notes with Ed25519 keys, checkpoints and cosignatures (signed-note, tlog-checkpoint, tlog-cosignature).

Keys are written as Go's golang.org/x/mod/sumdb/note writes them: a verifier key `<name>+<key id hex>+<base64(0x01 ||
public key)>`, a signer key `PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || seed)>`.
"""

import base64
import binascii
import functools
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from veche_shared.tlog.merkle import HASH_SIZE, Hash

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space start every signature line
_NAME = re.compile(r"^[^\s+]+$")
MAX_NOTE = 64 * 1024


class NoteError(ValueError):
    """A note, key or signature that is malformed or does not verify."""


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def _b64(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error:
        raise NoteError("bad base64") from None


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes
    kind: int = ED25519

    @functools.cached_property
    def key_id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    @functools.cached_property
    def _key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.public)

    @property
    def vkey(self) -> str:
        """The verifier key as Go's note package and the C2SP vkey encoding write it."""
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([self.kind]) + self.public).decode()}"

    @classmethod
    def parse(cls, vkey: str) -> "Verifier":
        name, _, rest = vkey.strip().partition("+")
        hexid, _, b64 = rest.partition("+")
        raw = _b64(b64)
        if not _NAME.match(name) or len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("not an Ed25519 verifier key")
        verifier = cls(name, raw[1:], raw[0])
        if hexid != verifier.key_id.hex():
            raise NoteError(f"verifier key {name}: key id does not match the key")
        return verifier

    def check(self, message: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    seed: bytes

    @functools.cached_property
    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @functools.cached_property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    @property
    def skey(self) -> str:
        kid = self.verifier.key_id.hex()
        return f"PRIVATE+KEY+{self.name}+{kid}+{base64.b64encode(bytes([ED25519]) + self.seed).decode()}"

    @classmethod
    def generate(cls, name: str) -> "Signer":
        if not _NAME.match(name):
            raise NoteError(f"a key name has no space or '+': {name!r}")
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def parse(cls, skey: str) -> "Signer":
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signer key (PRIVATE+KEY+<name>+<id>+<key>)")
        raw = _b64(parts[4])
        if len(raw) != 33 or raw[0] != ED25519 or not _NAME.match(parts[2]):
            raise NoteError("not an Ed25519 signer key")
        signer = cls(parts[2], raw[1:])
        if parts[3] != signer.verifier.key_id.hex():
            raise NoteError("signer key: key id does not match the key")
        return signer

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def signature_line(self, text: str) -> str:
        sig = self.verifier.key_id + self.sign(text.encode())
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(sig).decode()}\n"


def sign_note(text: str, signer: Signer) -> str:
    """A signed note: the text (ending in a newline), a blank line, one signature line."""
    check_text(text)
    return f"{text}\n{signer.signature_line(text)}"


def check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text or any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note's text is lines without control characters, ending in a newline, none empty")


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    @property
    def line(self) -> str:
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


def split_note(note: str) -> tuple[str, list[Signature]]:
    """The text of a signed note and its signature lines, unverified."""
    if len(note) > MAX_NOTE:
        raise NoteError("note too long")
    text, sep, block = note.rpartition("\n\n")
    if not sep or not block.endswith("\n"):
        raise NoteError("no signature block")
    text += "\n"
    check_text(text)
    signatures = []
    for line in block[:-1].split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("a signature line starts with an em dash")
        name, _, b64 = line[len(SIGNATURE_PREFIX) :].partition(" ")
        raw = _b64(b64)
        if not _NAME.match(name) or len(raw) < 5:
            raise NoteError("malformed signature line")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return text, signatures


def open_note(note: str, verifier: Verifier) -> tuple[str, list[Signature]]:
    """The text of a note that `verifier` signed (Ed25519), and all its signature lines; NoteError otherwise."""
    text, signatures = split_note(note)
    for sig in signatures:
        if sig.name == verifier.name and sig.key_id == verifier.key_id and verifier.check(text.encode(), sig.signature):
            return text, signatures
    raise NoteError(f"no valid signature by {verifier.name}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: Hash
    extensions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[0] or not re.fullmatch(r"0|[1-9][0-9]{0,19}", lines[1]):
            raise NoteError("not a checkpoint: origin, size and root hash lines")
        root = _b64(lines[2])
        if len(root) != HASH_SIZE:
            raise NoteError("a checkpoint's root hash is 32 bytes")
        return cls(lines[0], int(lines[1]), root, tuple(lines[3:-1]))


def open_checkpoint(note: str, verifier: Verifier, origin: str) -> tuple[Checkpoint, list[Signature]]:
    """A checkpoint signed by the log's key, for the log named origin."""
    text, signatures = open_note(note, verifier)
    checkpoint = Checkpoint.parse(text)
    if checkpoint.origin != origin:
        raise NoteError(f"checkpoint of {checkpoint.origin!r}, not {origin!r}")
    return checkpoint, signatures


def cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def cosign(text: str, signer: Signer, timestamp: int) -> Signature:
    """A witness's cosignature/v1 of a checkpoint's text at a POSIX time (C2SP tlog-cosignature)."""
    public = signer.verifier.public
    signature = timestamp.to_bytes(8, "big") + signer.sign(cosigned_message(text, timestamp))
    return Signature(signer.name, key_id(signer.name, COSIGNATURE_V1, public), signature)


def check_cosignature(text: str, sig: Signature, witness: Verifier) -> int | None:
    """The cosignature's time when `witness` (its Ed25519 key, any vkey type) made it over this text, else None."""
    if sig.name != witness.name or sig.key_id != key_id(witness.name, COSIGNATURE_V1, witness.public):
        return None
    if len(sig.signature) != 72:
        return None
    timestamp = int.from_bytes(sig.signature[:8], "big")
    if timestamp >= 1 << 63 or not witness.check(cosigned_message(text, timestamp), sig.signature[8:]):
        return None
    return timestamp
