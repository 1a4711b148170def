"""A decentralized-auth NATS setup (operator, account, user JWTs) written with the nkeys package, for creds tests.

A JWT here is `base64url(header).base64url(claims).base64url(ed25519 signature by the issuer's nkey)`, the
format nats-server reads (nats-io/jwt v2); the user's `.creds` file holds its JWT and its nkey seed.
"""

import base64
import json
import os
import secrets
import time
from typing import Any

import nkeys

UNLIMITED = {"subs": -1, "data": -1, "payload": -1}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def new_keys(prefix: int) -> Any:
    return nkeys.from_seed(nkeys.encode_seed(os.urandom(32), prefix))


def jwt(issuer: Any, subject: Any, name: str, nats: dict[str, object]) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "ed25519-nkey"}).encode())
    claims = {"jti": secrets.token_hex(16).upper(), "iat": int(time.time()), "iss": issuer.public_key.decode(),
              "name": name, "sub": subject.public_key.decode(), "nats": {**nats, "version": 2}}  # fmt: skip
    body = _b64(json.dumps(claims).encode())
    return f"{header}.{body}.{_b64(issuer.sign(f'{header}.{body}'.encode()))}"


class Operator:
    """An operator with one account; the server config trusts it and preloads the account."""

    def __init__(self) -> None:
        self.keys = new_keys(nkeys.PREFIX_BYTE_OPERATOR)
        self.account = new_keys(nkeys.PREFIX_BYTE_ACCOUNT)
        limits = UNLIMITED | {"imports": -1, "exports": -1, "wildcards": True, "conn": -1, "leaf": -1}
        self.account_jwt = jwt(self.keys, self.account, "veche", {"type": "account", "limits": limits})
        self.system = new_keys(nkeys.PREFIX_BYTE_ACCOUNT)  # JetStream needs nats-server's system account
        self.system_jwt = jwt(self.keys, self.system, "SYS", {"type": "account", "limits": limits})

    def server_config(self) -> str:
        operator_jwt = jwt(self.keys, self.keys, "veche-operator", {"type": "operator"})
        system = self.system.public_key.decode()
        accounts = json.dumps({self.account.public_key.decode(): self.account_jwt, system: self.system_jwt})
        # the gateway's JWT carries its ~70 allowed subjects: its CONNECT line is over nats-server's default 4 KB
        return (f"operator: {operator_jwt}\nsystem_account: {system}\nresolver: MEMORY\n"
                f"resolver_preload: {accounts}\nmax_control_line: 16KB\n")  # fmt: skip

    def user_creds(self, permissions: dict[str, Any], signer: Any = None) -> str:
        """A .creds file's text for a new user with these permissions (pub/sub allow lists)."""
        user = new_keys(nkeys.PREFIX_BYTE_USER)
        nats = {"type": "user", "pub": permissions["publish"], "sub": permissions["subscribe"], **UNLIMITED}
        token = jwt(signer or self.account, user, "gateway", nats)
        return (f"-----BEGIN NATS USER JWT-----\n{token}\n------END NATS USER JWT------\n\n"
                f"-----BEGIN USER NKEY SEED-----\n{user.seed.decode()}\n------END USER NKEY SEED------\n")  # fmt: skip
