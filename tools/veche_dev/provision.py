"""`veche provision`: streams, key-value buckets and the results projector's durable consumers, declared by the
provisioning identity before any service starts (docs/adr/0014-provisioned-bus.md). Run again at will: it keeps what
exists and brings it up to date."""

import argparse
import asyncio

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from veche_results.partitions import consumer_configs
from veche_shared import nats_auth
from veche_shared.provision import Provision, provision
from veche_shared.settings import VecheSettings


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class ProvisionSettings(VecheSettings):
    """The provisioning identity (VECHE_PROVISION_NATS_*) and what the services it provisions for are set to: the
    same variables as theirs, so one environment (compose, the chart) feeds both."""

    model_config = SettingsConfigDict(
        env_prefix="VECHE_PROVISION_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    stream_replicas: int = Field(
        1,
        ge=1,
        le=5,
        validation_alias=_env("VECHE_PROVISION_STREAM_REPLICAS", "VECHE_VOTING_STREAM_REPLICAS"),
        description="JetStream replicas of every stream and bucket",
    )
    results_consumer: str = Field(
        "results-projector",
        pattern=r"^[A-Za-z0-9_-]{1,60}$",
        validation_alias=_env("VECHE_PROVISION_RESULTS_CONSUMER", "VECHE_RESULTS_CONSUMER"),
        description="the results service's durable consumer name (its `consumer` setting)",
    )
    results_partitions: int = Field(
        1, ge=1, le=16, validation_alias=_env("VECHE_PROVISION_RESULTS_PARTITIONS", "VECHE_RESULTS_PARTITIONS")
    )
    results_batch_size: int = Field(
        1_000, ge=1, le=10_000, validation_alias=_env("VECHE_PROVISION_RESULTS_BATCH_SIZE", "VECHE_RESULTS_BATCH_SIZE")
    )
    limits_window_seconds: int = Field(
        3600,
        ge=60,
        validation_alias=_env("VECHE_PROVISION_LIMITS_WINDOW_SECONDS", "VECHE_GATEWAY_DEVICE_ISSUE_WINDOW_SECONDS"),
        description="the gateway's device_issue_window_seconds: the TTL of its limits bucket",
    )
    lease_seconds: float = Field(
        10.0,
        ge=1,
        validation_alias=_env("VECHE_PROVISION_LEASE_SECONDS", "VECHE_SUBMISSIONS_WRITER_LEASE_SECONDS"),
        description="the submissions service's writer_lease_seconds: the TTL of its lease bucket",
    )

    def plan(self) -> Provision:
        consumers = consumer_configs(self.results_consumer, self.results_partitions, self.results_batch_size)
        return Provision(self.stream_replicas, self.limits_window_seconds, self.lease_seconds, consumers)


async def provision_bus(settings: ProvisionSettings) -> None:
    nc = await nats_auth.connect(settings, role="provision")
    try:
        await provision(nc.jetstream(), settings.plan())
    finally:
        await nc.close()


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser(
        "provision",
        help="declare the streams, key-value buckets and durable consumers (as the provisioning NATS identity)",
        description="credentials VECHE_PROVISION_NATS_USER / _PASSWORD (or _CREDS_FILE, _NKEY_SEED_FILE); the "
        "consumer and bucket settings from the services' own variables (VECHE_RESULTS_CONSUMER, ...)",
    )
    command.add_argument("--nats", help="NATS URL(s), else VECHE_PROVISION_NATS_URL")
    command.add_argument("--replicas", type=int, help="stream replicas, else VECHE_PROVISION_STREAM_REPLICAS")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    overrides = {"nats_url": args.nats} if args.nats else {}
    overrides |= {"stream_replicas": args.replicas} if args.replicas else {}
    asyncio.run(provision_bus(ProvisionSettings(**overrides)))
    print("provisioned: streams, key-value buckets, results consumers", flush=True)
    return 0
