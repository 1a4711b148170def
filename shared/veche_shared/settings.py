"""Settings base shared by every Veche process."""

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_PLACEHOLDER = "dev-only-change-me"


class VecheSettings(BaseSettings):
    """Common settings; each service subclasses it with its own env prefix."""

    model_config = SettingsConfigDict(env_prefix="VECHE_", env_nested_delimiter="__", extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    nats_url: str = Field("nats://127.0.0.1:4222", description="NATS server URL(s), comma separated")
    mongodb_url: str = Field("mongodb://127.0.0.1:27017/", description="MongoDB connection string")
    http_host: str = "127.0.0.1"
    http_port: int = Field(8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    rpc_timeout: float = Field(5.0, gt=0, le=60, description="seconds to wait for an RPC answer")
    stream_replicas: int = Field(1, ge=1, le=5, description="JetStream replicas for CATALOG and VOTES")

    def secrets_to_check(self) -> dict[str, SecretStr]:
        """Secrets that must not keep their development placeholder in production."""
        return {}

    @model_validator(mode="after")
    def _no_placeholder_secrets_in_prod(self) -> "VecheSettings":
        if self.environment == "prod":
            for name, secret in self.secrets_to_check().items():
                if DEV_PLACEHOLDER in secret.get_secret_value():
                    raise ValueError(f"{name} still holds the development placeholder")
        return self
