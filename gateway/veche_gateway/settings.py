from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from veche_shared.settings import VecheSettings

Role = Literal["admin", "moderator", "observer"]


class OperatorKey(BaseModel):
    """An operator API key, stored as the SHA-256 of the key, never the key itself."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")
    role: Role
    key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class GatewaySettings(VecheSettings):
    model_config = SettingsConfigDict(env_prefix="VECHE_GATEWAY_", env_nested_delimiter="__", extra="ignore")

    http_port: int = Field(8000, ge=1, le=65535)
    operator_keys: list[OperatorKey] = Field(default_factory=list)
    max_body_bytes: int = Field(64 * 1024, ge=1_024, le=10 * 1024 * 1024)
    trust_forwarded_for: bool = Field(False, description="take the client IP from X-Forwarded-For (behind a proxy)")
