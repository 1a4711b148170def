"""Organisers' console sessions: the role a claim maps to, the operator's name, and which tokens are sessions."""

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from veche_gateway.auth.console_session import identify, issue, operator_name, role_of, session_operator
from veche_gateway.settings import ConsoleSignIn, OperatorKey

KEY = "a-console-session-key-for-unit-tests-0123456789"
CONFIG = ConsoleSignIn(
    issuer="https://id.city.example",
    client_id="console",
    client_secret_ref="staff",  # noqa: S106 - the name of a secret, not one
    roles={"veche-admins": "admin", "veche-moderators": "moderator", "auditors": "observer"},
)


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (["auditors", "veche-admins", "staff"], "admin"),
        (["staff", "veche-moderators"], "moderator"),
        ("auditors", "observer"),
        (["staff"], None),
        (None, None),
        ([["veche-admins"]], None),  # only strings count
    ],
)
def test_the_highest_mapped_value_of_the_claim_is_the_role(groups: object, role: str | None) -> None:
    assert role_of({"sub": "x", "groups": groups}, CONFIG) == role


def test_an_operator_name_fits_the_audit_trail() -> None:
    assert operator_name({"sub": "ada@city.example"}, CONFIG) == "oidc.ada@city.example"
    odd = operator_name({"sub": "Ада Лавлейс"}, CONFIG)
    assert odd.startswith("oidc.")
    assert len(odd) == 21  # a digest of what does not fit an operator name
    OperatorKey(name=odd, role="observer", key_sha256="0" * 64)


def test_only_unexpired_sessions_signed_with_the_key_are_operators() -> None:
    token = issue("oidc.ada", "moderator", KEY, 60, datetime.now(UTC))
    found = session_operator(token, KEY)
    assert found is not None
    assert (found.name, found.role) == ("oidc.ada", "moderator")
    assert session_operator(token, "another-key-another-key-another-key") is None
    stale = issue("oidc.ada", "admin", KEY, 60, datetime.now(UTC) - timedelta(seconds=120))
    assert session_operator(stale, KEY) is None
    now = int(time.time())
    device = {"typ": "device", "name": "oidc.ada", "role": "admin", "iat": now, "exp": now + 60}
    assert session_operator(jwt.encode(device, KEY, algorithm="HS256"), KEY) is None
    assert identify([], None, token) is None  # organiser sign-in not configured: keys only
    assert identify([], KEY, token) == found
