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
from veche_shared import subjects
from veche_shared.bus import STREAMS_OF
from veche_shared.operations import submissions as submissions_ops

SERVICES = ("gateway", "submissions", "voting", "results")
ROLES = (*SERVICES, "operator")
HARNESS = "harness"  # the test suite's own identity: everything, only in configs written for tests


def stream_reads(stream: str) -> list[str]:
    """JetStream API subjects to read a stream: info, get, consumers (create, info, next, delete), acks, flow."""
    api = "$JS.API"
    return [
        f"{api}.STREAM.INFO.{stream}", f"{api}.STREAM.MSG.GET.{stream}", f"{api}.DIRECT.GET.{stream}",
        f"{api}.DIRECT.GET.{stream}.>", f"{api}.CONSUMER.*.{stream}", f"{api}.CONSUMER.*.{stream}.>",
        f"{api}.CONSUMER.*.*.{stream}.>", f"$JS.ACK.{stream}.>", f"$JS.FC.{stream}.>",
    ]  # fmt: skip


def stream_access(role: str) -> list[str]:
    """Create every stream the role uses; update only those it writes; never delete or purge one."""
    owned, read = STREAMS_OF.get(role, ((), (subjects.VOTES_STREAM, subjects.CATALOG_STREAM, subjects.AUDIT_STREAM)))
    allowed = ["$JS.API.INFO"] + [f"$JS.API.STREAM.UPDATE.{s}" for s in owned]
    if role in STREAMS_OF:
        allowed += [f"$JS.API.STREAM.CREATE.{s}" for s in owned + read]
    for stream in owned + read:
        allowed += stream_reads(stream)
    return allowed


SNAPSHOT = submissions_ops.CATALOG_SNAPSHOT.subject
PUBLISH: dict[str, list[str]] = {  # what each role writes or asks, beyond JetStream's API
    "gateway": [*gateway_requests(), subjects.AUDIT_ALL, f"$KV.{subjects.GATEWAY_LIMITS_BUCKET}.>"],
    "submissions": [subjects.CATALOG_ALL, f"$KV.{subjects.WRITER_LEASES_BUCKET}.>"],
    "voting": ["votes.>", subjects.ROLL_ALL, SNAPSHOT],
    "results": [subjects.LIVE_LEADERBOARD_ALL, "deadletter.>", SNAPSHOT],
    "operator": ["svc.>", subjects.AUDIT_ALL, *(f"$JS.API.STREAM.{op}.{s}" for op in ("SNAPSHOT", "RESTORE")
                 for s in (subjects.VOTES_STREAM, subjects.CATALOG_STREAM)), "$JS.SNAPSHOT.>"],  # ledger backups
}  # fmt: skip
SUBSCRIBE: dict[str, list[str]] = {
    "gateway": [subjects.LIVE_LEADERBOARD_ALL],
    "submissions": ["svc.submissions.>"],
    "voting": ["svc.voting.>"],
    "results": ["svc.results.>"],
    "operator": [],
}


def permissions(role: str) -> dict[str, object]:
    """The nats-server permissions of a role; services answer requests only on the reply subject they were sent."""
    return {
        "publish": {"allow": PUBLISH[role] + stream_access(role)},
        "subscribe": {"allow": [*SUBSCRIBE[role], "_INBOX.>"]},
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
