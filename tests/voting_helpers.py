"""Test helpers of the voting service: catalog seeding by contract events, keys and tokens, RPC calls."""

import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from nats.aio.client import Client
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from veche_dev import factories as f
from veche_dev.eventually import eventually
from veche_dev.factories import HS256_KEY, token
from veche_shared import subjects
from veche_shared.bus import declare_streams
from veche_shared.contracts.catalog import IdentityMode, Phase, PracticeStatus
from veche_shared.contracts.votes import CastAccepted, CastVote, MyBallotQuery
from veche_shared.errors import DomainError
from veche_shared.operations import voting as voting_ops
from veche_shared.rpc import call
from veche_voting.app import build_app
from veche_voting.settings import VotingSettings

__all__ = ["HS256_KEY", "token"]  # the tests of voting take them from here with the rest
DEVICE_KEY = "test-device-key-0123456789abcdef0123456789"


@dataclass(frozen=True)
class Keys:
    """An RSA key pair known to the voting service both as a PEM key ("rsa") and in a JWKS file ("jwks", kid k1)."""

    private: rsa.RSAPrivateKey
    jwks_file: Path

    @classmethod
    def make(cls, folder: Path) -> "Keys":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "jwks.json"
        path.write_text(json.dumps({"keys": [jwk | {"kid": "k1", "alg": "RS256", "use": "sig"}]}))
        return cls(private, path)

    def public_pem(self) -> str:
        pem = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem.decode()


def voting_settings(nats_url: str, keys: Keys, **overrides: Any) -> VotingSettings:
    return VotingSettings(
        environment="test",
        nats_url=nats_url,
        jwt_hs256_keys={"default": SecretStr(HS256_KEY)},
        jwt_rs256_keys={"rsa": keys.public_pem()},
        jwt_jwks_files={"jwks": keys.jwks_file},
        device_token_key=SecretStr(DEVICE_KEY),
        **overrides,
    )


@dataclass(frozen=True)
class Seeded:
    contest: str
    nomination: str
    practice: str


def seeded_catalog(
    contest: str,
    *,
    phase: Phase = Phase.voting_open,
    mode: IdentityMode = IdentityMode.jwt,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    key_ref: str = "default",
    nominations: tuple[str, ...] = ("diplomacy",),
    choices: dict[str, tuple[int, int]] | None = None,
    **contest_fields: Any,
) -> tuple[f.Catalog, Seeded]:
    """The catalog of one contest: approved practice p-<nomination>, pending practice q-<nomination>, and in an
    approval nomination ({nomination: (max, min)} in `choices`) approved p1..p4-<nomination> as well."""
    approved = {n: ("p", *(f"p{i}" for i in range(1, 5) if n in (choices or {}))) for n in nominations}
    practices = {
        n: [
            f.practice(contest, f"{prefix}-{n}-{contest}", n, municipality="perm", status=status)
            for prefix, status in (
                *((a, PracticeStatus.approved) for a in approved[n]),
                ("q", PracticeStatus.pending),
            )
        ]
        for n in nominations
    }
    found = f.contest(
        contest, phase=phase, mode=mode, opens_at=opens_at, closes_at=closes_at, jwt_key_ref=key_ref, **contest_fields
    )
    return f.catalog(found, practices, choices), Seeded(contest, nominations[0], f"p-{nominations[0]}-{contest}")


async def seed(nc: Client, contest: str, **options: Any) -> Seeded:
    """Publish the catalog of seeded_catalog(contest, **options) to CATALOG."""
    await declare_streams(nc.jetstream(), 1)
    catalog, seeded = seeded_catalog(contest, **options)
    await f.publish_catalog(nc, catalog)
    return seeded


def cast_command(seeded: Seeded, voter_token: str, **fields: Any) -> CastVote:
    """A ballot of seeded.practice, or of `practices=[...]`, or of one other `practice=...`."""
    if "practice" in fields:
        fields["practices"] = [fields.pop("practice")]
    return CastVote.model_validate(
        {"contest": seeded.contest, "nomination": seeded.nomination, "practices": [seeded.practice]}
        | {"token": voter_token}
        | fields
    )


async def cast(nc: Client, seeded: Seeded, voter_token: str, **fields: Any) -> CastAccepted:
    """Cast cast_command(seeded, voter_token, **fields) through the bus."""
    return await call(nc, voting_ops.BALLOT_CAST, cast_command(seeded, voter_token, **fields), timeout=10)


async def refusal(nc: Client, seeded: Seeded, voter_token: str, **fields: Any) -> tuple[int, str]:
    """The (status, code) of a cast that must be refused."""
    try:
        accepted = await cast(nc, seeded, voter_token, **fields)
    except DomainError as exc:
        return exc.status, exc.code
    raise AssertionError(f"expected a refusal, got {accepted}")


async def wait_known(nc: Client, seeded: Seeded, voter_token: str, timeout: float = 10) -> None:
    """Wait until the voting service answering RPC has read the seeded contest from CATALOG."""
    query = MyBallotQuery(contest=seeded.contest, nomination=seeded.nomination, token=voter_token)

    async def known() -> str:
        try:
            await call(nc, voting_ops.BALLOT_GET, query, timeout=5)
        except DomainError as exc:
            return exc.code  # e.g. no_ballot: the contest is known
        return "ballot"

    await eventually(
        known, lambda code: code not in ("unknown_contest", "service_unavailable"), what="the contest", timeout=timeout
    )


async def eventually_refused(nc: Client, seeded: Seeded, code: str, timeout: float = 5) -> None:
    """Casts of fresh voters until one is refused with `code` (a catalog change has reached the service)."""
    attempts = itertools.count()

    async def refused() -> str:
        try:
            await cast(nc, seeded, token(seeded.contest, f"probe-{next(attempts)}"))
        except DomainError as exc:
            return exc.code
        return "accepted"

    outcome = await eventually(refused, lambda got: got != "accepted", what=f"a refusal {code}", timeout=timeout)
    assert outcome == code


async def ballots_in_ledger(nc: Client, contest: str) -> int:
    info = await nc.jetstream().stream_info(subjects.VOTES_STREAM, subjects_filter=subjects.contest_ballots(contest))
    return sum((info.state.subjects or {}).values())


class Clock:
    """Server time for the voting service under test: real time unless a test pins it."""

    def __init__(self) -> None:
        self.pinned: datetime | None = None

    def __call__(self) -> datetime:
        return self.pinned or datetime.now(UTC)


@asynccontextmanager
async def running_voting(settings: VotingSettings, clock: Clock, registry: CollectorRegistry) -> AsyncIterator[None]:
    """The voting app in this process, answering svc.voting.* on the real nats-server."""
    app = build_app(settings, registry=registry, clock=clock)
    async with app.router.lifespan_context(app):
        yield


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0
