from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from veche_shared.settings import VecheSettings
from veche_shared.subjects import LEDGER_PARTITIONS
from veche_shared.tlog.keys import DEV_LOG_ORIGIN, DEV_LOG_SIGNING_KEY, SIGNING_KEY_HELP, SigningKey
from veche_shared.tlog.note import Signer, Verifier


class ResultsSettings(VecheSettings):
    model_config = SettingsConfigDict(env_prefix="VECHE_RESULTS_", env_nested_delimiter="__", extra="ignore")

    http_port: int = Field(8103, ge=1, le=65535, description="HTTP port (health, readiness, metrics)")
    database: str = Field("results", pattern=r"^[A-Za-z0-9_-]{1,60}$", description="MongoDB database")
    batch_size: int = Field(1_000, ge=1, le=10_000, description="most messages applied in one batch")
    batch_wait: float = Field(0.05, gt=0, le=5, description="seconds a fetch waits for a batch to fill")
    consumer: str = Field("results-projector", pattern=r"^[A-Za-z0-9_-]{1,60}$", description="durable consumer name")
    live_interval: float = Field(0.25, gt=0, le=10, description="seconds between live snapshots of a nomination")
    lag_interval: float = Field(2.0, gt=0, le=60, description="seconds between updates of the projector lag gauge")
    catalog_timeout: float = Field(30.0, gt=0, description="seconds to wait for the catalog to catch up at start")
    minutes_retention_hours: int = Field(48, ge=2, le=24 * 90, description="how long per-minute buckets are kept")
    partitions: int = Field(
        1, ge=1, le=LEDGER_PARTITIONS, description="results partitions; each reads its share of the ledger partitions"
    )
    owned_partitions: list[int] | None = Field(None, description="partitions this process projects; all if empty")
    log_origin: str = Field(
        DEV_LOG_ORIGIN,
        pattern=r"^[a-z0-9.-]{1,100}(/[A-Za-z0-9._-]{1,60})?$",
        description="the platform's name in every log checkpoint's origin line: <log_origin>/<contest>/<nomination>",
    )
    log_signing_key: SigningKey = Field(SecretStr(DEV_LOG_SIGNING_KEY), description=SIGNING_KEY_HELP)
    witness_keys: list[str] = Field(
        default_factory=list,
        description="verifier keys (`<name>+<id>+<key>`) of the witnesses whose cosignatures are accepted and shown",
    )
    checkpoint_interval: float = Field(2.0, gt=0, le=60, description="seconds between signed checkpoints of a log")
    checkpoint_keep_all_minutes: int = Field(
        60,
        ge=1,
        description="minutes during which every signed checkpoint is kept; older ones are thinned to the last of "
        "each minute and every cosigned one (docs/adr/0018-checkpoint-history-thinning.md)",
    )

    def witnesses(self) -> list[Verifier]:
        return [Verifier.parse(key) for key in self.witness_keys]

    def log_signer(self) -> Signer:
        return Signer.parse(self.log_signing_key.get_secret_value())

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return super().secrets_to_check() | {"log_signing_key": self.log_signing_key}

    def my_partitions(self) -> list[int]:
        owned = self.owned_partitions if self.owned_partitions is not None else list(range(self.partitions))
        if not owned or any(not 0 <= p < self.partitions for p in owned):
            raise ValueError(f"owned_partitions must be within 0..{self.partitions - 1}")
        return sorted(set(owned))
