"""The NATS server's authorization: one user per role, each allowed only what that role does (docs/security.md).

`veche up`, the tests and the benchmarks write a server config with fresh random passwords and hand each process
its own user through its settings (VECHE_<PROCESS>_NATS_USER / _PASSWORD; the operator commands VECHE_NATS_*).
`veche nats-config` prints the same permissions for a deployment.
"""

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from veche_dev.gateway_asks import gateway_requests
from veche_dev.operator_asks import operator_requests
from veche_shared import subjects
from veche_shared.bus import STREAMS_OF
from veche_shared.nats_auth import inbox_prefix
from veche_shared.operations import submissions as submissions_ops

SERVICES = ("gateway", "submissions", "voting", "results")
PROVISION = "provision"  # declares streams, buckets and durable consumers; no process runs as it (`veche provision`)
ROLES = (*SERVICES, "operator", PROVISION)
HARNESS = "harness"  # the test suite's own identity: everything, only in configs written for tests
API = "$JS.API"


def stream_reads(stream: str) -> list[str]:
    """JetStream API subjects to read a stream without a consumer: its info, and a stored message by sequence or
    subject (plain and direct get, one message or a batch). The stream is the fixed fifth token of each."""
    return [
        f"{API}.STREAM.INFO.{stream}", f"{API}.STREAM.MSG.GET.{stream}", f"{API}.DIRECT.GET.{stream}",
        f"{API}.DIRECT.GET.{stream}.>",
    ]  # fmt: skip


def durable_use(stream: str) -> list[str]:
    """The verbs a process uses on the provisioned durable consumers of a stream, spelled out: info, pull the next
    batch, rewind to the ack floor, acknowledge. Never create, update or delete one (`$JS.API.CONSUMER.CREATE...`
    carries a deliver subject the server would publish to without the creator's permission)."""
    return [
        f"{API}.CONSUMER.INFO.{stream}.*", f"{API}.CONSUMER.MSG.NEXT.{stream}.*", f"{API}.CONSUMER.RESET.{stream}.*",
        f"$JS.ACK.{stream}.*.>",
    ]  # fmt: skip


def stream_access(role: str) -> list[str]:
    """Read every stream the role uses and use the durables it owns; create, update, delete or purge none."""
    owned, read = STREAMS_OF.get(role, ((), (subjects.VOTES_STREAM, subjects.CATALOG_STREAM, subjects.AUDIT_STREAM)))
    allowed = [grant for stream in owned + read for grant in stream_reads(stream)]
    return allowed + (durable_use(subjects.VOTES_STREAM) if role == "results" else [])


SNAPSHOT = submissions_ops.CATALOG_SNAPSHOT.subject
PUBLISH: dict[str, list[str]] = {  # what each role writes or asks, beyond reading streams
    "gateway": [*gateway_requests(), subjects.AUDIT_ALL, f"$KV.{subjects.GATEWAY_LIMITS_BUCKET}.>"],
    # submissions and voting append the audit entry of each change they make (ADR 0017)
    "submissions": [subjects.CATALOG_ALL, subjects.AUDIT_ALL, f"$KV.{subjects.WRITER_LEASES_BUCKET}.>"],
    "voting": ["votes.>", subjects.ROLL_ALL, subjects.AUDIT_ALL, SNAPSHOT],
    "results": [subjects.LIVE_LEADERBOARD_ALL, "deadletter.>", SNAPSHOT],
    "operator": [*operator_requests(), subjects.AUDIT_ALL],  # the operations its commands call, not svc.>
    # the JetStream API whole, ledger backups' chunk acks, and the ledger's messages for `veche ledger-migrate`
    # (which rewrites VOTES at the same sequences: this identity can delete the stream anyway)
    PROVISION: [f"{API}.>", "$JS.SNAPSHOT.>", subjects.VOTES_ALL],
}
SUBSCRIBE: dict[str, list[str]] = {
    "gateway": [subjects.LIVE_LEADERBOARD_ALL],
    "submissions": ["svc.submissions.>"],
    "voting": ["svc.voting.>", subjects.CATALOG_ALL],  # catalog events only wake its reader of stream CATALOG
    "results": ["svc.results.>", subjects.CATALOG_ALL],
    "operator": [],
    PROVISION: [],
}


def permissions(role: str) -> dict[str, object]:
    """The nats-server permissions of a role; services answer requests only on the reply subject they were sent;
    each role receives replies only on its own inbox prefix (nats_auth.inbox_prefix)."""
    access = [] if role == PROVISION else stream_access(role)
    return {
        "publish": {"allow": PUBLISH[role] + access},
        "subscribe": {"allow": [*SUBSCRIBE[role], f"{inbox_prefix(role)}.>"]},
        "allow_responses": role in SERVICES and role != "gateway",
    }


def new_passwords(with_harness: bool = False) -> dict[str, str]:
    return {role: secrets.token_urlsafe(32) for role in (*ROLES, *((HARNESS,) if with_harness else ()))}


def authorization(passwords: dict[str, str]) -> str:
    """An `authorization` block for nats.conf (JSON is valid nats.conf syntax)."""
    users = []
    for user, password in passwords.items():
        allow_all = {"publish": {"allow": [">"]}, "subscribe": {"allow": [">"]}}
        granted = allow_all if user == HARNESS else permissions(user)
        users.append({"user": user, "password": password, "permissions": granted})
    return "authorization " + json.dumps({"users": users}, indent=2) + "\n"


def env_references() -> dict[str, str]:
    """Passwords as references to nats-server's environment, for a config file kept in the repository."""
    return {role: f"$VECHE_NATS_PASSWORD_{role.upper()}" for role in ROLES}


def deployment_authorization() -> str:
    """deploy/nats/auth.conf: the authorization block with each password read from the server's environment."""
    head = (
        "# Written by `veche nats-config --env-refs` (tools/veche_dev/nats_config.py); a unit test keeps it current.\n"
    )
    block = authorization(env_references())
    for reference in env_references().values():
        block = block.replace(f'"{reference}"', reference)  # unquoted: nats-server resolves $VARS, not "$VARS"
    return head + block


def write_server_config(base: Path, folder: Path, passwords: dict[str, str]) -> Path:
    """base (deploy/local/nats.conf) with the authorization block, readable by its owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nats-auth.conf"
    conf.touch(mode=0o600)
    conf.write_text(base.read_text() + "\n" + authorization(passwords))
    return conf


def role_env(passwords: dict[str, str]) -> dict[str, str]:
    """Each process's NATS user in its settings; VECHE_NATS_* for the operator commands."""
    env = {}
    for role in SERVICES:
        env[f"VECHE_{role.upper()}_NATS_USER"] = role
        env[f"VECHE_{role.upper()}_NATS_PASSWORD"] = passwords[role]
    env |= {"VECHE_PROVISION_NATS_USER": PROVISION, "VECHE_PROVISION_NATS_PASSWORD": passwords[PROVISION]}
    return env | {"VECHE_NATS_USER": "operator", "VECHE_NATS_PASSWORD": passwords["operator"]}


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    config = commands.add_parser(
        "nats-config",
        help="print nats-server's authorization block: one user per role with its permissions",
        description="passwords from VECHE_NATS_PASSWORD_<ROLE> (GATEWAY, SUBMISSIONS, VOTING, RESULTS, OPERATOR); "
        "a role without one gets a fresh random password, printed to stderr as the settings to give that process",
    )
    config.add_argument("--env-refs", action="store_true", help="passwords as $VECHE_NATS_PASSWORD_<ROLE> references")
    config.set_defaults(run=_print_config)


def _print_config(args: argparse.Namespace) -> int:
    if args.env_refs:
        sys.stdout.write(deployment_authorization())
        return 0
    passwords = {role: os.environ.get(f"VECHE_NATS_PASSWORD_{role.upper()}", "") for role in ROLES}
    made = {role: secrets.token_urlsafe(32) for role, password in passwords.items() if not password}
    for role, password in made.items():
        user_env = "VECHE_NATS" if role == "operator" else f"VECHE_{role.upper()}_NATS"
        sys.stderr.write(f"{user_env}_USER={role} {user_env}_PASSWORD={password}\n")
    sys.stdout.write(authorization(passwords | made))
    return 0
