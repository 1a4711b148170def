from pydantic import Field
from pydantic_settings import SettingsConfigDict

from veche_shared.operators import OperatorKey
from veche_shared.settings import VecheSettings


class SubmissionsSettings(VecheSettings):
    model_config = SettingsConfigDict(env_prefix="VECHE_SUBMISSIONS_", env_nested_delimiter="__", extra="ignore")

    http_port: int = Field(8101, ge=1, le=65535, description="HTTP port (health, readiness, metrics)")
    database: str = Field("submissions", pattern=r"^[A-Za-z0-9_-]{1,60}$", description="MongoDB database")
    outbox_scan_interval: float = Field(1.0, gt=0, le=60, description="seconds between outbox sweeps")
    writer_lease_seconds: float = Field(
        10.0, ge=1, le=600, description="how long a replica that died while writing a record blocks that record"
    )
    operator_keys: list[OperatorKey] = Field(
        default_factory=list,
        description="operators whose keys the operator commands may act with (the gateway's JSON, or fewer): each "
        "command's catalog change carries its key, checked and recorded here",
    )
    writer_wait_seconds: float = Field(5.0, gt=0, le=60, description="how long a write waits for another replica's")
