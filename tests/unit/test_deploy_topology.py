"""deploy/compose.yaml and the Helm chart describe the same processes, settings, ports and health paths, and
both agree with the settings classes the processes read (a pure YAML check: `make deploy-check` renders them)."""

import ipaddress
import json
import re

import pytest
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry

from tests.unit.deploy_helpers import (
    CHART,
    DEPLOY,
    SETTINGS,
    chart_env_names,
    compose_processes,
    load,
)
from veche_dev.topology import LOCAL
from veche_shared.web import ops_router


def test_compose_chart_settings_and_dev_topology_name_the_same_processes() -> None:
    chart = load(CHART / "values.yaml")["processes"]
    assert set(compose_processes()) == {p["module"] for p in chart.values()} == set(SETTINGS)
    assert {p.module for p in LOCAL} == set(SETTINGS)
    for dev in LOCAL:  # `veche up` gives each process the port and prefix the deployments give it
        process = next(p for p in chart.values() if p["module"] == dev.module)
        assert (process["envPrefix"], process["port"]) == (dev.env_prefix, dev.port)


@pytest.mark.parametrize("module", sorted(SETTINGS))
def test_each_process_gets_the_same_settings_everywhere(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_class = SETTINGS[module]
    prefix = settings_class.model_config.get("env_prefix", "")
    process = next(p for p in load(CHART / "values.yaml")["processes"].values() if p["module"] == module)
    assert process["envPrefix"] == prefix
    default_port = settings_class.model_fields["http_port"].default
    assert process["port"] == default_port
    for container, env in compose_processes()[module].items():
        assert set(env) == chart_env_names(process), container
        assert env[f"{prefix}HTTP_PORT"] == str(default_port)
        assert env[f"{prefix}STREAM_REPLICAS"] == str(load(CHART / "values.yaml")["nats"]["streamReplicas"]) == "3"
        for name, value in env.items():  # every variable is a setting the process reads, with a valid value
            assert name.removeprefix(prefix).lower() in settings_class.model_fields, name
            monkeypatch.setenv(name, value)
        settings = settings_class()
        assert settings.environment == "prod"
        assert len(settings.nats_url.split(",")) == 3


def test_results_partitions_are_covered_once_in_both() -> None:
    process = load(CHART / "values.yaml")["processes"]["results"]
    owned = [json.loads(env["VECHE_RESULTS_OWNED_PARTITIONS"]) for env in compose_processes()["veche_results"].values()]
    partitions = [int(env["VECHE_RESULTS_PARTITIONS"]) for env in compose_processes()["veche_results"].values()]
    assert set(partitions) == {process["partitions"]}
    assert process["replicas"] == 1
    assert sorted(p for parts in owned for p in parts) == list(range(process["partitions"]))


def test_replicated_processes_have_at_least_two_everywhere() -> None:
    chart = load(CHART / "values.yaml")["processes"]
    for module, name in (("veche_gateway", "gateway"), ("veche_voting", "voting")):
        assert len(compose_processes()[module]) >= 2
        assert chart[name]["replicas"] >= 2


def test_health_paths_are_the_processes_own() -> None:
    router = ops_router(_always_ready, CollectorRegistry())
    paths = {route.path for route in router.routes if isinstance(route, APIRoute)}
    probes = load(CHART / "values.yaml")["probes"]
    assert probes["liveness"]["path"] == "/healthz"
    assert probes["readiness"]["path"] == "/readyz"
    assert {"/healthz", "/readyz", "/metrics"} <= paths
    assert "/healthz" in (DEPLOY / "docker" / "healthcheck.py").read_text()
    assert "option httpchk GET /readyz" in (DEPLOY / "haproxy" / "haproxy.cfg").read_text()


async def _always_ready() -> dict[str, bool]:
    return {"nats": True}


def test_prometheus_scrapes_every_container_and_every_nats_server() -> None:
    compose = load(DEPLOY / "compose.yaml")["services"]
    jobs = {job["job_name"]: job for job in load(DEPLOY / "compose" / "prometheus.yml")["scrape_configs"]}
    targets = {t for group in jobs["veche"]["static_configs"] for t in group["targets"]}
    expected = {  # the gateway serves /metrics on its internal listener only
        f"{c}:{env.get('VECHE_GATEWAY_METRICS_PORT') or env[next(k for k in env if k.endswith('_HTTP_PORT'))]}"
        for containers in compose_processes().values()
        for c, env in containers.items()
    }
    assert targets == expected
    exporters = {t.split(":")[0] for group in jobs["nats"]["static_configs"] for t in group["targets"]}
    nats_nodes = {name for name, s in compose.items() if s.get("image", "").startswith("nats:")}
    assert len(nats_nodes) == 3
    assert {compose[e]["command"][-1] for e in exporters} == {f"http://{n}:8222" for n in nats_nodes}


def test_nats_cluster_routes_to_every_node_and_the_image_is_lean() -> None:
    conf = (DEPLOY / "nats" / "cluster.conf").read_text()
    assert set(re.findall(r"nats-route://([\w-]+):6222", conf)) == {"nats-1", "nats-2", "nats-3"}
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile
    assert dockerfile.count("\nFROM ") >= 2
    assert "\nUSER 10001" in dockerfile
    assert "\nHEALTHCHECK " in dockerfile


def test_nats_servers_have_one_user_per_role_from_the_environment() -> None:
    from veche_dev import nats_config

    assert (DEPLOY / "nats" / "auth.conf").read_text() == nats_config.deployment_authorization()
    assert "include auth.conf" in (DEPLOY / "nats" / "cluster.conf").read_text()
    compose = load(DEPLOY / "compose.yaml")["services"]
    passwords = {f"VECHE_NATS_PASSWORD_{role.upper()}" for role in nats_config.ROLES}
    for name in ("nats-1", "nats-2", "nats-3"):
        assert passwords <= set(compose[name]["environment"]), name


def test_the_gateways_trust_only_their_proxy_and_only_the_ingress_reaches_them() -> None:
    """Issue 26: compose and the chart trusted all of RFC 1918 in X-Forwarded-For, and any pod could reach the
    gateway, so any pod could choose its client address."""
    compose = load(DEPLOY / "compose.yaml")
    proxy_address = compose["services"]["proxy"]["networks"]["internal"]["ipv4_address"]
    for name in ("gateway-1", "gateway-2"):
        trusted = json.loads(compose["services"][name]["environment"]["VECHE_GATEWAY_TRUSTED_PROXIES"])
        assert trusted == [proxy_address], name
    values = load(CHART / "values.yaml")
    assert values["networkPolicy"]["enabled"] is True
    policy = (CHART / "templates" / "networkpolicy.yaml").read_text()
    assert "ingressFrom" in policy
    assert "policyTypes: [Ingress]" in policy
    for cidr in json.loads(values["processes"]["gateway"]["env"]["TRUSTED_PROXIES"]):
        assert ipaddress.ip_network(cidr).num_addresses <= 2**16, "not a whole private range"
