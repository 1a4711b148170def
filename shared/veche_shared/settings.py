"""Settings base shared by every Veche process: fail closed outside development and tests."""

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_PLACEHOLDER = "dev-only-change-me"
PLACEHOLDERS = (DEV_PLACEHOLDER, "change-me", "changeme", "placeholder")
MIN_SECRET_BYTES = 32
Environment = Literal["dev", "test", "prod"]
SAFE_ENVIRONMENTS = ("dev", "test")  # the only ones where development secrets are allowed


def shared_environment() -> str:
    """VECHE_ENVIRONMENT, the one variable every process reads; a process started without any is production."""
    return os.environ.get("VECHE_ENVIRONMENT", "prod")


def weakness(secret: str) -> str | None:
    """Why secret must not guard a production deployment, or None."""
    if any(placeholder in secret.lower() for placeholder in PLACEHOLDERS):
        return "is a development placeholder"
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes"
    return None


class VecheSettings(BaseSettings):
    """Common settings; each service subclasses it with its own env prefix."""

    model_config = SettingsConfigDict(env_prefix="VECHE_", env_nested_delimiter="__", extra="ignore")

    environment: Environment = Field(
        default_factory=shared_environment,
        validate_default=True,
        description="dev, test or prod: outside dev and test, placeholder or short secrets stop the process",
    )
    nats_url: str = Field("nats://127.0.0.1:4222", description="NATS server URL(s), comma separated")
    nats_user: str | None = Field(None, description="NATS user of this process (with nats_password)")
    nats_password: SecretStr | None = Field(None, description="NATS password of nats_user")
    nats_creds_file: Path | None = Field(None, description="NATS .creds file (JWT and seed), instead of a user")
    nats_nkey_seed_file: Path | None = Field(None, description="NATS nkey seed file, instead of a user")
    nats_tls_ca_file: Path | None = Field(None, description="CA bundle that signed the NATS server's certificate (TLS)")
    nats_tls_cert_file: Path | None = Field(
        None, description="this process's client certificate, for a NATS server that verifies clients (mutual TLS)"
    )
    nats_tls_key_file: Path | None = Field(None, description="the private key of nats_tls_cert_file")
    nats_plaintext: bool = Field(
        False,
        description="outside dev and test, allow NATS without TLS: only where the network between the processes "
        "and nats-server is reachable by them alone (docs/security.md)",
    )
    mongodb_url: str = Field("mongodb://127.0.0.1:27017/", description="MongoDB connection string")
    http_host: str = Field("127.0.0.1", description="address the HTTP server listens on")
    http_port: int = Field(8000, ge=1, le=65535, description="port the HTTP server listens on")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="least level logged")
    rpc_timeout: float = Field(5.0, gt=0, le=60, description="seconds to wait for an RPC answer")
    stream_replicas: int = Field(1, ge=1, le=5, description="JetStream replicas for CATALOG and VOTES")

    def secrets_to_check(self) -> dict[str, SecretStr]:
        """Secrets by the name of their setting (a field, or `field.key` in a mapping)."""
        return {"nats_password": self.nats_password} if self.nats_password is not None else {}

    def nats_over_tls(self) -> bool:
        """Whether the connection to NATS is encrypted: a CA to verify the server by, or tls:// URLs only."""
        urls = [u.strip() for u in self.nats_url.split(",")]
        return self.nats_tls_ca_file is not None or all(u.startswith("tls://") for u in urls)

    def nats_credentials_set(self) -> bool:
        return bool((self.nats_user and self.nats_password) or self.nats_creds_file or self.nats_nkey_seed_file)

    def env_name(self, setting: str) -> str:
        """The environment variable of a setting as the operator writes it, e.g. VECHE_VOTING_PEPPER."""
        field, _, key = setting.partition(".")
        name = f"{self.model_config.get('env_prefix', '')}{field}".upper()
        return f"{name} (key {key!r})" if key else name

    @model_validator(mode="after")
    def _client_certificate_whole(self) -> "VecheSettings":
        if (self.nats_tls_cert_file is None) != (self.nats_tls_key_file is None):
            raise ValueError(f"{self.env_name('nats_tls_cert_file')} and _KEY_FILE go together: set both or neither")
        return self

    @model_validator(mode="after")
    def _fail_closed(self) -> "VecheSettings":
        if self.environment in SAFE_ENVIRONMENTS:
            return self
        problems = [
            f"{self.env_name(name)} {why}"
            for name, secret in self.secrets_to_check().items()
            if (why := weakness(secret.get_secret_value()))
        ]
        if not self.nats_credentials_set():
            problems.append(f"{self.env_name('nats_user')} / _PASSWORD (or a creds or nkey seed file) is not set")
        if not self.nats_plaintext and not self.nats_over_tls():
            problems.append(
                f"{self.env_name('nats_url')} is not TLS: use tls:// URLs with {self.env_name('nats_tls_ca_file')}, "
                f"or set {self.env_name('nats_plaintext')}=true on a network only Veche's processes reach"
            )
        if problems:
            raise ValueError(f"refusing to start with environment={self.environment}: " + "; ".join(problems))
        return self
