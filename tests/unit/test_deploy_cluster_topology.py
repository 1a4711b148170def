"""`make up-cluster` (tools/veche_dev/cluster.py, up_cluster.py) runs the shape that deploy/compose.yaml and the
Helm chart describe: the same processes and replicas, results partitions, and settings by name (a pure check: nothing
is started). Development-only differences are listed here, each with its reason."""

import json
import os
from pathlib import Path

import pytest

from tests.unit.deploy_helpers import CHART, SETTINGS, compose_processes, load
from veche_dev import nats_config, up_cluster
from veche_dev.cluster import ClusterPlatform, replicas
from veche_dev.natscluster import NatsCluster
from veche_shared import subjects

# Deployment-only settings: the cluster runs on loopback (HTTP_HOST, METRICS_HOST default to it), in the dev
# environment (ENVIRONMENT comes as VECHE_ENVIRONMENT, and secrets without a value take their dev defaults), and
# its public origin is the default http://127.0.0.1:8000 (PUBLIC_URL).
# plaintext: prod only; the log's origin and verifier key: a deployment names its own log and publishes its own key,
# up-cluster keeps the development ones (docs/verifiability.md); the operations view's links: a deployment's own
# Grafana and published runbook (up-cluster runs no Grafana)
DEPLOYMENT_ONLY = {
    "ENVIRONMENT", "HTTP_HOST", "METRICS_HOST", "PUBLIC_URL", "NATS_PLAINTEXT", "LOG_ORIGIN", "LOG_VERIFIER_KEY",
    "GRAFANA_URL", "RUNBOOK_URL",
}  # fmt: skip
DEV_ONLY = {"VECHE_GATEWAY_DEVICE_ISSUE_EXEMPT"}  # loopback clients get device tokens without a challenge


def cluster_envs(state: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, dict[str, str]]]:
    """module -> replica -> the settings of its own prefix that `veche up-cluster` gives it."""
    monkeypatch.setattr(os, "environ", {})  # only what up-cluster sets, not the test run's environment
    nats = NatsCluster(state / "nats", state / "logs", ports=up_cluster.NATS_PORTS)
    platform = ClusterPlatform(
        state, nats, "mongodb://127.0.0.1:27017/", up_cluster.BALANCER_PORT, replicas(up_cluster.SERVICE_PORTS)
    )
    platform.extra_env = up_cluster.cluster_env(state, nats_config.new_passwords())
    out: dict[str, dict[str, dict[str, str]]] = {}
    for replica in platform.replicas:
        prefix = SETTINGS[replica.module].model_config.get("env_prefix", "")
        env = platform.env_for(replica)
        out.setdefault(replica.module, {})[replica.name] = {k: v for k, v in env.items() if k.startswith(prefix)}
    return out


def chart_instances(process: dict[str, object]) -> int:
    """Pods of a process in the chart: one Deployment per results partition, else `replicas`."""
    replicas_ = process["replicas"]
    partitions = process.get("partitions", 1)
    assert isinstance(replicas_, int)
    assert isinstance(partitions, int)
    return replicas_ * partitions


def test_up_cluster_runs_the_processes_and_replicas_of_the_deployments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster = cluster_envs(tmp_path, monkeypatch)
    compose = compose_processes()
    chart = {p["module"]: p for p in load(CHART / "values.yaml")["processes"].values()}
    assert set(cluster) == set(compose) == set(chart) == set(SETTINGS)
    for module, instances in cluster.items():
        assert len(instances) == len(compose[module]) == chart_instances(chart[module]), module
        assert len(instances) >= 2, f"{module}: the cluster shape replicates every service"


def test_up_cluster_partitions_results_as_the_deployments_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = cluster_envs(tmp_path, monkeypatch)["veche_results"].values()
    compose = compose_processes()["veche_results"].values()
    partitions = load(CHART / "values.yaml")["processes"]["results"]["partitions"]
    for envs in (cluster, compose):
        assert {int(env["VECHE_RESULTS_PARTITIONS"]) for env in envs} == {partitions}
        owned = sorted(p for env in envs for p in json.loads(env["VECHE_RESULTS_OWNED_PARTITIONS"]))
        assert owned == list(range(partitions)), "every partition owned by exactly one process"
    # Each results partition reads whole ledger partitions (subjects.py): an even share needs a divisor.
    assert subjects.LEDGER_PARTITIONS % partitions == 0, "results partitions must divide the ledger's partitions"


@pytest.mark.parametrize("module", sorted(SETTINGS))
def test_up_cluster_gives_each_process_the_deployments_settings(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_class = SETTINGS[module]
    prefix = settings_class.model_config.get("env_prefix", "")
    chart = next(p for p in load(CHART / "values.yaml")["processes"].values() if p["module"] == module)
    secrets = {prefix + name for name in chart["secretEnv"] if name != "NATS_PASSWORD"}
    deployed = set(next(iter(compose_processes()[module].values())))
    optional = {prefix + name for name in DEPLOYMENT_ONLY} | secrets
    for name, env in cluster_envs(tmp_path, monkeypatch)[module].items():
        assert set(env) - DEV_ONLY <= deployed, f"{name}: set by up-cluster, not by the deployments"
        assert deployed - set(env) <= optional, f"{name}: set by the deployments, not by up-cluster"
        assert env[f"{prefix}STREAM_REPLICAS"] == "3"
        assert len(env[f"{prefix}NATS_URL"].split(",")) == 3
        for variable, value in env.items():  # every variable is a setting the process reads, with a valid value
            assert variable.removeprefix(prefix).lower() in settings_class.model_fields, variable
            monkeypatch.setenv(variable, value)
        monkeypatch.setenv("VECHE_ENVIRONMENT", "dev")
        assert settings_class().environment == "dev"
