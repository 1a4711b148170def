"""Voting settings: development defaults work out of the box, production refuses them."""

import pytest
from pydantic import SecretStr, ValidationError

from veche_shared.tlog.note import Signer
from veche_voting.settings import VotingSettings

PROD_SECRETS = {
    "pepper": SecretStr("prod-pepper-0123456789abcdef-0123456789"),
    "jwt_hs256_keys": {"default": SecretStr("prod-jwt-key-0123456789abcdef-0123456789")},
    "device_token_key": SecretStr("prod-device-key-0123456789abcdef-0123456789"),
    "nats_user": "voting",
    "nats_password": SecretStr("prod-nats-password-0123456789abcdef-0123456789"),
    "log_signing_key": SecretStr(Signer.generate("vote.example.org").skey),
    "nats_url": "tls://nats-1:4222,tls://nats-2:4222,tls://nats-3:4222",
}


def test_dev_device_key_matches_the_gateway_default() -> None:
    assert VotingSettings().device_token_key.get_secret_value() == "dev-only-change-me-device-token-key-0123456789"


def test_device_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VECHE_VOTING_DEVICE_TOKEN_KEY", "from-env-0123456789abcdef")
    assert VotingSettings().device_token_key.get_secret_value() == "from-env-0123456789abcdef"


@pytest.mark.parametrize("left_as_placeholder", ["pepper", "jwt_hs256_keys", "device_token_key"])
def test_prod_refuses_placeholder_secrets(left_as_placeholder: str) -> None:
    given = {k: v for k, v in PROD_SECRETS.items() if k != left_as_placeholder}
    with pytest.raises(ValidationError, match="placeholder"):
        VotingSettings(environment="prod", **given)  # type: ignore[arg-type]


def test_prod_accepts_real_secrets() -> None:
    assert VotingSettings(environment="prod", **PROD_SECRETS).environment == "prod"  # type: ignore[arg-type]
