from ipaddress import IPv4Network, IPv6Network
from typing import Annotated

from pydantic import BaseModel, Field, IPvAnyNetwork, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from veche_shared.operators import OperatorKey, Role
from veche_shared.settings import VecheSettings
from veche_shared.tlog.keys import DEV_LOG_ORIGIN, DEV_LOG_VERIFIER_KEY
from veche_shared.tlog.note import NoteError, Verifier

__all__ = ["Bucket", "ConsoleSignIn", "GatewaySettings", "OperatorKey", "Role"]
DEV_DEVICE_TOKEN_KEY = "dev-only-change-me-device-token-key-0123456789"  # noqa: S105 - the development default
DEV_ALTCHA_KEY = "dev-only-change-me-altcha-hmac-key-0123456789"
DEV_CONSOLE_SESSION_KEY = "dev-only-change-me-console-session-key-0123456789"

Claim = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class ConsoleSignIn(BaseModel):
    """The organisers' OpenID provider, and which claim values make which role."""

    issuer: str = Field(
        pattern=r"^https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{1,300}$", examples=["https://id.city.example"]
    )
    client_id: str = Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    client_secret_ref: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="a name in oidc_client_secrets")
    scopes: list[Annotated[str, Field(pattern=r"^[\x21\x23-\x5b\x5d-\x7e]{1,64}$")]] = Field(
        default_factory=lambda: ["openid"], min_length=1, max_length=20
    )
    role_claim: Claim = Field("groups", description="the ID token claim (a string or a list of strings) to map")
    roles: dict[str, Role] = Field(
        min_length=1, examples=[{"veche-admins": "admin", "veche-moderators": "moderator"}],
        description="claim value -> role; a person with several mapped values gets the highest role",
    )  # fmt: skip
    name_claim: Claim = Field("sub", description="the claim that names the operator in the audit trail")
    session_seconds: int = Field(3600, ge=60, le=12 * 3600, description="how long a console session lasts")


class Bucket(BaseModel):
    """A token bucket: `burst` requests at once, refilled at `per_second`."""

    burst: float = Field(ge=1)
    per_second: float = Field(gt=0)


class GatewaySettings(VecheSettings):
    model_config = SettingsConfigDict(env_prefix="VECHE_GATEWAY_", env_nested_delimiter="__", extra="ignore")

    http_port: int = Field(8000, ge=1, le=65535, description="public HTTP port (API, pages, SSE)")
    metrics_host: str = Field("127.0.0.1", description="address of the internal /metrics listener (not the public one)")
    metrics_port: int = Field(8100, ge=0, le=65535, description="port of the internal /metrics listener")
    operator_keys: list[OperatorKey] = Field(
        default_factory=list, description='operators, JSON: [{"name", "role": admin|moderator|observer, "key_sha256"}]'
    )
    max_body_bytes: int = Field(64 * 1024, ge=1_024, le=10 * 1024 * 1024, description="largest request body")
    max_import_bytes: int = Field(
        4 * 1024 * 1024,
        ge=1_024,
        le=64 * 1024 * 1024,
        description="largest municipality CSV or voter roll an operator uploads",
    )
    max_photo_bytes: int = Field(
        8 * 1024 * 1024, ge=1_024, le=32 * 1024 * 1024, description="largest photo a municipality uploads"
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="addresses / CIDRs of the proxies in front of the gateway; X-Forwarded-For is read only from "
        "them, and the client is its rightmost hop that is not one of them",
        examples=[["10.0.0.0/8", "127.0.0.1"]],
    )

    device_token_key: SecretStr = Field(
        SecretStr(DEV_DEVICE_TOKEN_KEY), description="HS256 key of device tokens, = VECHE_VOTING_DEVICE_TOKEN_KEY"
    )
    device_token_ttl_seconds: int = Field(
        30 * 24 * 3600, ge=60, le=365 * 24 * 3600, description="device token life; never past the contest's close"
    )
    altcha_hmac_key: SecretStr = Field(SecretStr(DEV_ALTCHA_KEY), description="signs proof-of-work challenges")
    device_pow_cost: int = Field(250, ge=1, le=100_000, description="PBKDF2 iterations of one proof-of-work step")
    device_challenge_seconds: int = Field(600, ge=30, le=3600, description="how long a challenge may be solved")
    device_issue_window_seconds: int = Field(3600, ge=60, le=7 * 24 * 3600)
    device_issue_per_address: int = Field(20, ge=1, description="device tokens per client address per window")
    device_issue_per_network: int = Field(60, ge=1, description="device tokens per IPv6 /64 per window")
    device_issue_per_site: int = Field(
        240, ge=1, description="device tokens per IPv6 /48 per window (a site's allocation: many /64s of one holder)"
    )
    device_issue_exempt: list[IPv4Network | IPv6Network] = Field(
        default_factory=list, description="development only: addresses without issue limits (refused in prod)"
    )
    oidc_client_secrets: dict[str, SecretStr] = Field(
        default_factory=dict, description="OpenID client secrets by name (a contest's oidc.client_secret_ref)"
    )
    console_oidc: ConsoleSignIn | None = Field(
        None, description="organisers sign in to /admin with this OpenID provider; a claim maps to their role"
    )
    console_session_key: SecretStr = Field(
        SecretStr(DEV_CONSOLE_SESSION_KEY), description="HS256 key of console sessions (with console_oidc only)"
    )
    jwks_refetch_seconds: float = Field(
        30.0, ge=0, le=3600, description="least seconds between fetches of a JWKS for tokens naming unknown keys"
    )
    public_url: str | None = Field(
        None, pattern=r"^https?://[^/\s]+$", description="the gateway's public origin, for OpenID redirect URIs"
    )
    voter_token_field: bool = Field(
        False, description="development: the public page offers a field to paste a voter JWT in jwt mode"
    )
    sse_heartbeat_seconds: float = Field(15.0, gt=0, le=120, description="seconds between SSE heartbeats")
    sse_retry_ms: int = Field(3000, ge=100, le=60_000, description="reconnect delay SSE clients are told")
    sse_max_per_ip: int = Field(20, ge=1, le=100_000, description="open SSE streams per client address")
    sse_max_total: int = Field(
        25_000, ge=1, le=1_000_000, description="open SSE streams on one gateway process, all addresses together"
    )
    board_resync_seconds: float = Field(
        30.0, gt=0, le=3600, description="every known leaderboard is fetched again this often (and after a reconnect)"
    )
    leaderboard_stale_while_revalidate: int = Field(30, ge=0, le=3600, description="seconds, in Cache-Control")
    rate_ip_reads: Bucket = Field(Bucket(burst=300, per_second=100), description="public reads per client address")
    rate_ip_writes: Bucket = Field(Bucket(burst=60, per_second=10), description="votes, device tokens per address")
    rate_voter: Bucket = Field(Bucket(burst=10, per_second=1), description="votes per voter token")
    rate_sign_in: Bucket = Field(
        Bucket(burst=20, per_second=0.5), description="OpenID sign-in steps (starts and callbacks) per client address"
    )
    rate_operator_key_failures: Bucket = Field(
        Bucket(burst=10, per_second=0.1), description="wrong or missing operator keys per client address"
    )
    cors_allow_origins: list[str] = Field(
        default_factory=list, description="origins allowed to vote and to call operator routes from a browser"
    )
    log_verifier_key: str = Field(
        DEV_LOG_VERIFIER_KEY,
        description="public key of the results service's log signing key (`<name>+<id>+<key>`); checkpoints "
        "it did not sign are not served (docs/verifiability.md)",
    )
    log_origin: str = Field(DEV_LOG_ORIGIN, description="equal to the results service's VECHE_RESULTS_LOG_ORIGIN")
    grafana_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s\"<>]{1,500}$",
        description="the Grafana dashboard the console's operations view links to",
    )
    runbook_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s\"<>#]{1,500}$",
        description="where operators read docs/operations.md (e.g. its page in your copy of the repository); the "
        "operations view links each problem to its section there",
    )

    @field_validator("grafana_url", "runbook_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        """An empty address is none (compose's `${VAR:-}` of a link a deployment did not set)."""
        return None if value == "" else value

    def log_verifier(self) -> Verifier:
        return Verifier.parse(self.log_verifier_key)

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return (
            super().secrets_to_check()
            | {
                "device_token_key": self.device_token_key,
                "altcha_hmac_key": self.altcha_hmac_key,
            }
            | {f"oidc_client_secrets.{name}": secret for name, secret in self.oidc_client_secrets.items()}
            | ({"console_session_key": self.console_session_key} if self.console_oidc else {})
        )

    def session_key(self) -> str | None:
        """The key of console sessions, when organisers may sign in with OpenID at all."""
        return self.console_session_key.get_secret_value() if self.console_oidc else None

    @model_validator(mode="after")
    def _no_exemptions_in_prod(self) -> "GatewaySettings":
        if self.environment == "prod" and self.device_issue_exempt:
            raise ValueError("device_issue_exempt is a development setting; it is refused in prod")
        if self.device_issue_window_seconds < max(self.device_challenge_seconds, 600):  # used-once markers live as long
            raise ValueError("device_issue_window_seconds must cover challenges and sign-ins (600 s at least)")
        if self.console_oidc and self.console_oidc.client_secret_ref not in self.oidc_client_secrets:
            raise ValueError("console_oidc.client_secret_ref must name one of oidc_client_secrets")
        try:
            self.log_verifier()
        except NoteError as exc:
            raise ValueError(f"log_verifier_key: {exc}") from None
        if self.environment == "prod" and self.log_verifier_key == DEV_LOG_VERIFIER_KEY:
            raise ValueError("VECHE_GATEWAY_LOG_VERIFIER_KEY is the development log key; it is refused in prod")
        return self
