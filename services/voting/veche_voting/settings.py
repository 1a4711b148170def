from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from veche_shared.operators import OperatorKey
from veche_shared.settings import DEV_PLACEHOLDER, VecheSettings
from veche_shared.tlog.keys import DEV_LOG_SIGNING_KEY, SIGNING_KEY_HELP, SigningKey
from veche_shared.tlog.note import Signer

KeyRef = str  # a contest's jwt_key_ref: [A-Za-z0-9_-]{1,64}


class VotingSettings(VecheSettings):
    model_config = SettingsConfigDict(env_prefix="VECHE_VOTING_", env_nested_delimiter="__", extra="ignore")

    http_port: int = Field(8102, ge=1, le=65535, description="HTTP port (health, readiness, metrics)")
    pepper: SecretStr = Field(SecretStr(f"{DEV_PLACEHOLDER}-pepper"), description="HMAC key of voter and IP hashes")
    jwt_hs256_keys: dict[KeyRef, SecretStr] = Field(
        default_factory=lambda: {"default": SecretStr(f"{DEV_PLACEHOLDER}-jwt-key-0123456789abcdef")},
        description="HS256 secrets by key reference (a contest's jwt_key_ref)",
    )
    jwt_rs256_keys: dict[KeyRef, str] = Field(
        default_factory=dict, description="RS256 public keys (PEM) by key reference; public, so not secret"
    )
    jwt_jwks_files: dict[KeyRef, Path] = Field(
        default_factory=dict, description="JWKS files by key reference; the token's `kid` picks the RSA key"
    )
    jwt_jwks_urls: dict[KeyRef, str] = Field(
        default_factory=dict,
        description="JWKS URLs by key reference; cached, fetched again when a token names an unknown `kid`",
    )
    jwks_refetch_seconds: float = Field(
        30.0, ge=0, le=3600, description="least seconds between fetches of a JWKS for tokens naming unknown keys"
    )
    device_token_key: SecretStr = Field(
        SecretStr(f"{DEV_PLACEHOLDER}-device-token-key-0123456789"),
        description="HS256 key of device tokens; equal to the gateway's VECHE_GATEWAY_DEVICE_TOKEN_KEY",
    )
    operator_keys: list[OperatorKey] = Field(
        default_factory=list, description="the gateway's operator keys (same JSON): annulments need an admin's key"
    )
    clock_skew: float = Field(30.0, ge=0, le=300, description="seconds of leeway for exp / nbf / iat")
    publish_timeout: float = Field(2.0, gt=0, le=30, description="seconds to wait for JetStream's ack of a ballot")
    max_in_flight: int = Field(512, ge=1, le=10_000, description="casts handled concurrently per process")
    catalog_timeout: float = Field(30.0, gt=0, description="seconds to wait for the catalog to catch up at start")
    log_signing_key: SigningKey = Field(SecretStr(DEV_LOG_SIGNING_KEY), description=SIGNING_KEY_HELP)

    def log_signer(self) -> Signer:
        return Signer.parse(self.log_signing_key.get_secret_value())

    def secrets_to_check(self) -> dict[str, SecretStr]:
        keys = {
            "pepper": self.pepper,
            "device_token_key": self.device_token_key,
            "log_signing_key": self.log_signing_key,
        }
        jwt_keys = {f"jwt_hs256_keys.{k}": v for k, v in self.jwt_hs256_keys.items()}
        return super().secrets_to_check() | keys | jwt_keys  # the base's: its NATS password (issue 26)
