"""The bus is a trust boundary: the real nats-server of the tests runs with one user per role (tools nats_config).

Anonymous clients and wrong passwords are refused; each role may publish only what it writes; a forged live
leaderboard from a wrong identity never reaches the gateway's memory, so never a browser.
"""

import asyncio
import base64
import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import nats
import pytest
from nats.aio.client import Client

from tests.gateway_helpers import in_process_gateway
from veche_dev.gateway_asks import gateway_requests
from veche_gateway.settings import GatewaySettings
from veche_shared import subjects
from veche_shared.contracts.results import LeaderboardChanged
from veche_shared.nats_auth import inbox_prefix
from veche_shared.operations import submissions as submissions_ops
from veche_shared.tlog.keys import DEV_LOG_SIGNER
from veche_shared.tlog.seal import sealed


class Identity:
    """A connection as one role, collecting the server's permission errors."""

    def __init__(self, role: str = "") -> None:
        self.role = role
        self.errors: list[str] = []
        self.nc: Client | None = None

    async def connect(self, url: str, role: str) -> Client:
        async def collect(error: Exception) -> None:
            self.errors.append(str(error))

        prefix = "VECHE_" if role == "operator" else f"VECHE_{role.upper()}_"  # the operator commands' own variables
        password = os.environ[f"{prefix}NATS_PASSWORD"]
        self.nc = await nats.connect(
            url, user=role, password=password, error_cb=collect, allow_reconnect=False, inbox_prefix=inbox_prefix(role)
        )
        return self.nc

    async def violations(self, expected: int = 1) -> list[str]:
        """The permission violations reported so far, waiting up to 2 s for the expected number: the server's -ERRs
        arrive before the flush's PONG, but nats-py runs each one's error callback as a task of its own."""
        assert self.nc is not None
        await self.nc.flush()
        for _ in range(40):
            if len(self._violations()) >= expected:
                break
            await asyncio.sleep(0.05)
        return self._violations()

    def _violations(self) -> list[str]:
        return [e for e in self.errors if "permissions violation" in e.lower()]


AsRole = Callable[[str], Awaitable[Identity]]  # connects as a role


@pytest.fixture
async def as_role(infra: dict[str, str]) -> AsyncIterator[AsRole]:
    identities: list[Identity] = []

    async def connect(role: str) -> Identity:
        identity = Identity(role)
        await identity.connect(infra["nats_url"], role)
        identities.append(identity)
        return identity

    yield connect
    for identity in identities:
        if identity.nc is not None:
            await identity.nc.close()


async def handshake(url: str, connect: dict[str, object]) -> str:
    """The server's answer to a CONNECT and a PING, over a plain socket (the NATS protocol is text)."""
    host, port = url.removeprefix("nats://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        await reader.readline()  # INFO
        writer.write(b"CONNECT " + json.dumps({"verbose": False, **connect}).encode() + b"\r\nPING\r\n")
        await writer.drain()
        return (await asyncio.wait_for(reader.readline(), 5)).decode()
    finally:
        writer.close()
        await writer.wait_closed()


async def test_anonymous_and_wrong_passwords_cannot_connect(infra: dict[str, str]) -> None:
    assert "Authorization Violation" in await handshake(infra["nats_url"], {})
    assert "Authorization Violation" in await handshake(infra["nats_url"], {"user": "gateway", "pass": "guess"})
    password = os.environ["VECHE_GATEWAY_NATS_PASSWORD"]
    assert (await handshake(infra["nats_url"], {"user": "gateway", "pass": password})).startswith("PONG")


@pytest.mark.parametrize(
    ("role", "subject"),
    [
        ("gateway", "votes.cast.c.n.voter"),
        ("gateway", "votes.annulled.c.n.a1"),
        ("gateway", "live.leaderboard.c.n"),
        ("gateway", "catalog.contest.c"),
        ("gateway", "deadletter.VOTES.1"),
        ("gateway", "svc.voting.replay"),  # a voting operation the gateway does not ask for
        ("gateway", submissions_ops.CATALOG_SNAPSHOT.subject),  # operations of the catalogue only services call
        ("gateway", submissions_ops.HEALTH_STATUS.subject),
        ("submissions", "votes.cast.c.n.voter"),
        ("results", "votes.cast.c.n.voter"),
        ("voting", "live.leaderboard.c.n"),
        ("voting", "catalog.contest.c"),
        ("submissions", "$JS.API.STREAM.DELETE.VOTES"),
        ("results", "$JS.API.STREAM.PURGE.VOTES"),
        ("voting", "$JS.API.STREAM.UPDATE.CATALOG"),
        ("operator", "votes.cast.c.n.voter"),
        ("operator", "live.leaderboard.c.n"),
        ("operator", "svc.voting.ballot.cast"),  # no longer svc.>: only what its commands call (operator_asks)
        ("operator", "svc.submissions.practice.reject"),
        ("operator", "svc.submissions.contest.create"),  # only on its keyed subject, with an operator key
        ("operator", "svc.submissions.municipality.import"),
        ("gateway", "svc.submissions.keyed.contest.create"),  # the keyed subjects are the commands' alone
    ],
)
async def test_a_role_cannot_publish_what_it_does_not_write(as_role: AsRole, role: str, subject: str) -> None:
    identity = await as_role(role)
    assert identity.nc is not None
    await identity.nc.publish(subject, b"{}")
    assert any(subject.lower() in v.lower() for v in await identity.violations()), identity.errors


@pytest.mark.parametrize(
    ("role", "subject"),
    [("voting", "votes.cast.c.n.voter"), ("results", "live.leaderboard.c.n"), ("submissions", "catalog.contest.c")],
)
async def test_the_writer_of_a_subject_may_publish_it(as_role: AsRole, role: str, subject: str) -> None:
    identity = await as_role(role)
    assert identity.nc is not None
    await identity.nc.publish(subject.replace(".c.", ".perm-check."), b"{}")
    assert await identity.violations() == []


async def test_the_gateway_may_request_every_operation_its_routes_call(as_role: AsRole) -> None:
    identity = await as_role("gateway")
    assert identity.nc is not None
    for subject in gateway_requests():  # a grant of one partition's subject of each (`*`), asked at partition 0
        await identity.nc.publish(subject.replace("*", "0"), b"{}")  # nobody answers: the server's verdict counts
    assert await identity.violations() == []


async def test_the_gateway_cannot_read_other_services_requests(as_role: AsRole) -> None:
    identity = await as_role("gateway")
    assert identity.nc is not None
    await identity.nc.subscribe("svc.voting.>")
    assert await identity.violations(), "a subscription to svc.voting.> was accepted"


def forged(contest: str, nomination: str, version: int) -> bytes:
    """A board with the log head and seal only the results service can make (the development log key)."""
    board = LeaderboardChanged(
        contest=contest, nomination=nomination, visible=True, total_votes=999, entries=[], version=version,
        updated_at=None, log_size=999, log_root=base64.b64encode(bytes(32)).decode(),
    )  # fmt: skip
    return sealed(board, DEV_LOG_SIGNER).model_dump_json().encode()


async def test_a_forged_live_board_from_a_wrong_identity_never_reaches_the_gateway(
    infra: dict[str, str], as_role: AsRole, uid: str
) -> None:
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"])) as gw:
        for role in ("voting", "submissions", "gateway", "operator"):
            forger = await as_role(role)
            assert forger.nc is not None
            await forger.nc.publish(
                subjects.live_leaderboard(uid, f"forged-{role}"), forged(uid, f"forged-{role}", 1007)
            )
            assert await forger.violations(), f"{role} may publish live boards"
        results = await as_role("results")
        assert results.nc is not None
        await results.nc.publish(subjects.live_leaderboard(uid, "marker"), forged(uid, "marker", 1008))
        await results.nc.flush()
        live = gw.app.state.gateway.boards
        for _ in range(100):  # one subscription, in order: once the marker is in, the forgeries would be too
            if live.known(uid, "marker"):
                break
            await asyncio.sleep(0.05)
        assert live.known(uid, "marker") is not None
        assert all(live.known(uid, f"forged-{r}") is None for r in ("voting", "submissions", "gateway", "operator"))
        answer = await gw.client.get(f"/api/v1/contests/{uid}/nominations/forged-voting/leaderboard")
        # the forged board's numbers, not any "999" (a 503 names the request's path and id, which may hold one)
        assert b'"total_votes":999' not in answer.content


# The JetStream paths of issue 26: the server delivers, republishes and truncates on its own, without checking the
# publish permission of whoever configured it, so the runtime identities may configure none of it.
RUNTIME = ("gateway", "submissions", "voting", "results", "operator")


async def refused(identity: Identity, subject: str, body: Mapping[str, object]) -> bool:
    """Whether the server refuses `subject` to identity (a permissions violation, no JetStream answer)."""
    assert identity.nc is not None
    inbox = f"_INBOX_{identity.role}.{uuid.uuid4().hex}"
    await identity.nc.publish(subject, json.dumps(body).encode(), reply=inbox)
    await identity.nc.flush()
    for _ in range(40):  # the -ERR follows the flush's PONG at the latest on the next read
        if any(subject.lower() in v.lower() for v in identity.errors):
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.parametrize("role", RUNTIME)
@pytest.mark.parametrize("stream", ["VOTES", "CATALOG", "AUDIT"])
async def test_no_runtime_role_may_create_a_consumer_delivering_onto_live_boards(
    as_role: AsRole, role: str, stream: str, uid: str
) -> None:
    identity = await as_role(role)
    push = {"stream_name": stream, "config": {"deliver_subject": f"live.leaderboard.{uid}.n", "ack_policy": "none"}}
    for subject in (
        f"$JS.API.CONSUMER.CREATE.{stream}",
        f"$JS.API.CONSUMER.CREATE.{stream}.forged",
        f"$JS.API.CONSUMER.CREATE.{stream}.forged.votes.>",
        f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.forged",
    ):
        assert await refused(identity, subject, push), (role, subject)


@pytest.mark.parametrize("role", RUNTIME)
@pytest.mark.parametrize("stream", ["VOTES", "CATALOG", "AUDIT", "DEADLETTER"])
async def test_no_runtime_role_may_update_delete_or_purge_a_stream(as_role: AsRole, role: str, stream: str) -> None:
    """A RePublish onto live.> set through STREAM.UPDATE, or max_msgs 1 truncating the stream: both refused."""
    identity = await as_role(role)
    republish = {"name": stream, "subjects": [f"{stream.lower()}.>"], "republish": {"src": ">", "dest": "live.x.>"}}
    assert await refused(identity, f"$JS.API.STREAM.UPDATE.{stream}", republish)
    assert await refused(identity, f"$JS.API.STREAM.UPDATE.{stream}", {"name": stream, "max_msgs": 1})
    assert await refused(identity, f"$JS.API.STREAM.CREATE.{stream}", {"name": stream})
    assert await refused(identity, f"$JS.API.STREAM.DELETE.{stream}", {})
    assert await refused(identity, f"$JS.API.STREAM.PURGE.{stream}", {})
    assert await refused(identity, f"$JS.API.STREAM.MSG.DELETE.{stream}", {"seq": 1})


async def test_a_consumer_name_cannot_reach_another_stream(as_role: AsRole) -> None:
    """`$JS.API.CONSUMER.CREATE.VOTES.AUDIT.votes.>` names stream VOTES; a grant ending in `*.*.AUDIT.>` matched it."""
    for role in ("gateway", "results"):
        identity = await as_role(role)
        for subject in ("$JS.API.CONSUMER.CREATE.VOTES.AUDIT.votes.>", "$JS.API.CONSUMER.CREATE.AUDIT.VOTES.audit.>"):
            assert await refused(identity, subject, {"config": {"ack_policy": "none"}}), (role, subject)
    results = await as_role("results")  # what the projector does use stays allowed
    assert not await refused(results, "$JS.API.CONSUMER.INFO.VOTES.results-projector", {})


@pytest.mark.parametrize("role", RUNTIME)
async def test_a_role_receives_replies_only_on_its_own_inbox(as_role: AsRole, role: str) -> None:
    identity = await as_role(role)
    assert identity.nc is not None
    others = [other for other in (*RUNTIME, "provision") if other != role]
    for inbox in ("_INBOX.>", *(f"_INBOX_{other}.>" for other in others)):
        await identity.nc.subscribe(inbox)
    violations = await identity.violations(expected=len(others) + 1)
    assert len(violations) == len(others) + 1, violations


async def test_the_stream_refuses_to_lose_messages_even_to_the_provisioning_identity(nc: Client) -> None:
    """deny_delete and deny_purge: the ledger, catalog and audit trail keep every message."""
    js = nc.jetstream()
    for stream in ("VOTES", "CATALOG", "AUDIT"):
        info = await js.stream_info(stream)
        assert (info.config.deny_delete, info.config.deny_purge) == (True, True)
        answer = json.loads((await nc.request(f"$JS.API.STREAM.PURGE.{stream}", b"{}", timeout=5)).data)
        assert "error" in answer, answer


async def test_the_key_value_buckets_are_bounded(nc: Client) -> None:
    """Issue 26: sign-ins and device challenges wrote used-once markers to a bucket without max_bytes."""
    js = nc.jetstream()
    for bucket in (subjects.GATEWAY_LIMITS_BUCKET, subjects.WRITER_LEASES_BUCKET):
        info = await js.stream_info(f"KV_{bucket}")
        assert 0 < (info.config.max_bytes or 0) <= 256 * 1024 * 1024, bucket
