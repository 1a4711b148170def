"""Checks the rendered Helm chart (`helm template ... | python deploy/check_chart.py`) against deploy/compose.yaml.

Every process of the compose file is a Deployment (results: one per partition) with the same environment names,
probes on /healthz and /readyz, resources, a non-root security context, secrets only by reference, a
PodDisruptionBudget and a Service. Exit status 1 with the differences listed, 0 when they agree.
"""

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

COMPOSE = Path(__file__).resolve().parent / "compose.yaml"
SECRET_SUFFIXES = ("_PEPPER", "_KEYS", "_KEY", "_MONGODB_URL")
PUBLIC_KEYS = {"VECHE_GATEWAY_LOG_VERIFIER_KEY"}  # the log's public verifier key: published, not a secret


def compose_processes() -> dict[str, list[set[str]]]:
    """module -> the environment names of each of its containers."""
    out: dict[str, list[set[str]]] = defaultdict(list)
    for service in yaml.safe_load(COMPOSE.read_text())["services"].values():
        command = service.get("command", [])
        if command[:2] == ["python", "-m"]:
            out[command[2]].append(set(service["environment"]))
    return out


def check_deployment(doc: dict[str, Any], compose: dict[str, list[set[str]]]) -> list[str]:
    name = doc["metadata"]["name"]
    pod = doc["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    module = container["command"][-1]
    env = {e["name"]: e for e in container["env"]}
    problems = []
    if set(env) not in compose.get(module, []):
        problems.append(f"{name}: environment {sorted(env)} is not that of any {module} container in compose")
    if container["readinessProbe"]["httpGet"]["path"] != "/readyz":
        problems.append(f"{name}: readiness is not /readyz")
    if container["livenessProbe"]["httpGet"]["path"] != "/healthz":
        problems.append(f"{name}: liveness is not /healthz")
    if not container.get("resources", {}).get("requests"):
        problems.append(f"{name}: no resource requests")
    if not pod["securityContext"].get("runAsNonRoot"):
        problems.append(f"{name}: may run as root")
    for var, entry in env.items():
        secret = var.endswith(SECRET_SUFFIXES) and var not in PUBLIC_KEYS
        if secret and "secretKeyRef" not in entry.get("valueFrom", {}):
            problems.append(f"{name}: {var} is not taken from a Secret")
    return problems


def check(docs: list[dict[str, Any]]) -> list[str]:
    compose = compose_processes()
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        by_kind[doc["kind"]].append(doc)
    problems = [p for d in by_kind["Deployment"] for p in check_deployment(d, compose)]
    pods: dict[str, int] = defaultdict(int)
    for d in by_kind["Deployment"]:
        pods[d["spec"]["template"]["spec"]["containers"][0]["command"][-1]] += d["spec"]["replicas"]
    for module, containers in compose.items():
        if pods[module] != len(containers):
            problems.append(f"{module}: {pods[module]} pods in the chart, {len(containers)} containers in compose")
    budgets = {p["metadata"]["name"] for p in by_kind["PodDisruptionBudget"]}
    problems += [
        f"{d['metadata']['name']}: no PodDisruptionBudget"
        for d in by_kind["Deployment"]
        if d["metadata"]["name"] not in budgets
    ]
    components = {s["spec"]["selector"]["app.kubernetes.io/component"] for s in by_kind["Service"]}
    problems += [f"{m}: no Service" for m in compose if m.removeprefix("veche_") not in components]
    return problems


def main() -> int:
    docs = [d for d in yaml.safe_load_all(sys.stdin.read()) if d]
    problems = check(docs)
    for problem in problems:
        print(problem, file=sys.stderr)
    kinds = sorted({d["kind"] for d in docs})
    print(f"chart: {len(docs)} objects ({', '.join(kinds)}); {len(problems)} differences from compose")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
