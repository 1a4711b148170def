"""Every process reads VECHE_ENVIRONMENT; outside dev and test it refuses placeholder or short secrets."""

import os

import pytest
from pydantic import SecretStr, ValidationError

from veche_gateway.settings import GatewaySettings
from veche_results.settings import ResultsSettings
from veche_shared.tlog import note
from veche_submissions.settings import SubmissionsSettings
from veche_voting.settings import VotingSettings

STRONG = "k" * 32
NATS = {"nats_user": "voting", "nats_password": SecretStr(STRONG), "nats_url": "tls://nats-1:4222,tls://nats-2:4222"}
VOTING = {
    "pepper": SecretStr(STRONG),
    "jwt_hs256_keys": {"default": SecretStr(STRONG)},
    "device_token_key": SecretStr(STRONG),
    "log_signing_key": SecretStr(note.Signer.generate("vote.example.org").skey),
    **NATS,
}


@pytest.fixture(autouse=True)
def no_nats_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from no NATS credentials in the environment (the test session gives every process its own)."""
    for name in [n for n in os.environ if "_NATS_" in n]:
        monkeypatch.delenv(name)


def nats_env(monkeypatch: pytest.MonkeyPatch, *processes: str) -> None:
    for process in processes:
        monkeypatch.setenv(f"VECHE_{process.upper()}_NATS_USER", process)
        monkeypatch.setenv(f"VECHE_{process.upper()}_NATS_PASSWORD", STRONG)
        monkeypatch.setenv(f"VECHE_{process.upper()}_NATS_URL", "tls://nats:4222")


@pytest.mark.parametrize("settings", [GatewaySettings, ResultsSettings, SubmissionsSettings, VotingSettings])
def test_every_process_reads_the_one_environment(monkeypatch: pytest.MonkeyPatch, settings: type) -> None:
    monkeypatch.setenv("VECHE_ENVIRONMENT", "dev")
    assert settings().environment == "dev"


def test_no_environment_at_all_is_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VECHE_ENVIRONMENT")
    nats_env(monkeypatch, "submissions", "gateway")
    assert SubmissionsSettings().environment == "prod"
    with pytest.raises(ValidationError, match="VECHE_GATEWAY_DEVICE_TOKEN_KEY is a development placeholder"):
        GatewaySettings()


def test_a_prefixed_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VECHE_ENVIRONMENT", "prod")
    monkeypatch.setenv("VECHE_GATEWAY_ENVIRONMENT", "test")
    nats_env(monkeypatch, "results")
    monkeypatch.setenv("VECHE_RESULTS_LOG_SIGNING_KEY", note.Signer.generate("vote.example.org").skey)
    assert (GatewaySettings().environment, ResultsSettings().environment) == ("test", "prod")


def test_an_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VECHE_ENVIRONMENT", "staging")
    with pytest.raises(ValidationError, match="environment"):
        ResultsSettings()


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ({"pepper": SecretStr("x" * 31)}, "VECHE_VOTING_PEPPER is shorter than 32 bytes"),
        ({"pepper": SecretStr("please-change-me-" + "x" * 32)}, "VECHE_VOTING_PEPPER is a development placeholder"),
        (
            {"jwt_hs256_keys": {"default": SecretStr(STRONG), "city": SecretStr("short")}},
            "VECHE_VOTING_JWT_HS256_KEYS \\(key 'city'\\) is shorter than 32 bytes",
        ),
        ({"device_token_key": SecretStr("")}, "VECHE_VOTING_DEVICE_TOKEN_KEY is shorter"),
        ({"nats_password": SecretStr("x")}, "VECHE_VOTING_NATS_PASSWORD is shorter than 32 bytes"),  # issue 26
    ],
)
def test_production_names_each_weak_secret(weak: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        VotingSettings(environment="prod", **(VOTING | weak))  # type: ignore[arg-type]


def test_production_starts_with_strong_secrets() -> None:
    assert VotingSettings(environment="prod", **VOTING).environment == "prod"  # type: ignore[arg-type]
    strong = {"device_token_key": SecretStr(STRONG), "altcha_hmac_key": SecretStr(STRONG)}
    vkey = note.Signer.generate("vote.example.org").verifier.vkey
    gateway = GatewaySettings(environment="prod", **strong, **NATS, log_verifier_key=vkey)  # type: ignore[arg-type]
    assert gateway.environment == "prod"


def test_production_needs_a_nats_identity_with_a_strong_password() -> None:
    key = SecretStr(note.Signer.generate("vote.example.org").skey)
    with pytest.raises(ValidationError, match=r"VECHE_RESULTS_NATS_USER / _PASSWORD .* is not set"):
        ResultsSettings(environment="prod", log_signing_key=key)
    with pytest.raises(ValidationError, match="VECHE_RESULTS_NATS_PASSWORD is shorter than 32 bytes"):
        ResultsSettings(environment="prod", nats_user="results", nats_password=SecretStr("short"), log_signing_key=key)
    with_file = ResultsSettings(
        environment="prod", nats_creds_file="/etc/veche/results.creds", log_signing_key=key, nats_plaintext=True
    )
    assert with_file.nats_credentials_set()


def test_production_refuses_the_development_log_keys() -> None:
    with pytest.raises(ValidationError, match="VECHE_RESULTS_LOG_SIGNING_KEY is a development placeholder"):
        ResultsSettings(environment="prod", nats_creds_file="/etc/veche/results.creds")
    with pytest.raises(ValidationError, match="log_signing_key: not a signer key"):
        ResultsSettings(environment="dev", log_signing_key=SecretStr("k" * 40))
    strong = {"device_token_key": SecretStr(STRONG), "altcha_hmac_key": SecretStr(STRONG)}
    with pytest.raises(ValidationError, match="VECHE_GATEWAY_LOG_VERIFIER_KEY is the development log key"):
        GatewaySettings(environment="prod", **strong, **NATS)  # type: ignore[arg-type]


def test_production_needs_tls_to_nats_unless_plaintext_is_chosen_explicitly() -> None:
    """Issue 26: NATS TLS was optional in production."""
    key = SecretStr(note.Signer.generate("vote.example.org").skey)
    identity = {"nats_user": "results", "nats_password": SecretStr(STRONG), "log_signing_key": key}
    with pytest.raises(ValidationError, match="VECHE_RESULTS_NATS_URL is not TLS"):
        ResultsSettings(environment="prod", nats_url="nats://nats:4222", **identity)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="VECHE_RESULTS_NATS_URL is not TLS"):
        ResultsSettings(environment="prod", nats_url="tls://a:4222,nats://b:4222", **identity)  # type: ignore[arg-type]
    assert ResultsSettings(environment="prod", nats_url="tls://a:4222,tls://b:4222", **identity).nats_over_tls()  # type: ignore[arg-type]
    with_ca = ResultsSettings(environment="prod", nats_tls_ca_file="/etc/veche/ca.pem", **identity)  # type: ignore[arg-type]
    assert with_ca.nats_over_tls()
    plain = ResultsSettings(environment="prod", nats_url="nats://nats:4222", nats_plaintext=True, **identity)  # type: ignore[arg-type]
    assert not plain.nats_over_tls()


@pytest.mark.parametrize("environment", ["dev", "test"])
def test_development_and_tests_keep_their_defaults(environment: str) -> None:
    assert VotingSettings(environment=environment).pepper.get_secret_value().startswith("dev-only")
