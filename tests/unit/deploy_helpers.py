"""What the deployment checks share: the compose file's processes, the chart, the settings classes of each process."""

import re
from pathlib import Path
from typing import Any

import yaml

from veche_gateway.settings import GatewaySettings
from veche_results.settings import ResultsSettings
from veche_shared.settings import VecheSettings
from veche_submissions.settings import SubmissionsSettings
from veche_voting.settings import VotingSettings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CHART = DEPLOY / "helm" / "veche"
SETTINGS: dict[str, type[VecheSettings]] = {
    "veche_gateway": GatewaySettings,
    "veche_submissions": SubmissionsSettings,
    "veche_voting": VotingSettings,
    "veche_results": ResultsSettings,
}
PARTITION_ENV = {"PARTITIONS", "OWNED_PARTITIONS"}


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key twice in one mapping (PyYAML keeps the last; a merge can leave two)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [key.value for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
        repeated = {k for k in keys if keys.count(k) > 1}
        if repeated:
            raise yaml.constructor.ConstructorError(None, None, f"repeated keys {sorted(repeated)}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load(path: Path) -> Any:
    return yaml.load(path.read_text(), Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def example_env() -> dict[str, str]:
    lines = (DEPLOY / "compose.env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    assert len({name for name, _ in pairs}) == len(pairs), "a variable twice in compose.env.example"
    return dict(pairs)


def filled(value: str, values: dict[str, str]) -> str:
    """A compose value with its variables as compose.env.example sets them: ${VAR:?why} must be set there,
    ${VAR:-default} takes the default when it is not."""
    required = re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: values[m[1]], value)
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: values.get(m[1], m[2]), required)


def compose_processes() -> dict[str, dict[str, dict[str, str]]]:
    """module -> container -> environment (secrets filled from compose.env.example), from deploy/compose.yaml."""
    values = example_env()
    out: dict[str, dict[str, dict[str, str]]] = {}
    for name, service in load(DEPLOY / "compose.yaml")["services"].items():
        command = service.get("command", [])
        if command[:2] == ["python", "-m"]:
            env = {k: filled(str(v), values) for k, v in service["environment"].items()}
            out.setdefault(command[2], {})[name] = env
    return out


def chart_env_names(process: dict[str, Any]) -> set[str]:
    """The variables the chart's template gives a workload of this process."""
    helpers = (CHART / "templates" / "_helpers.tpl").read_text()
    common = set(re.findall(r"- name: \{\{ \$prefix \}\}([A-Z_]+)\n", helpers))
    extra = PARTITION_ENV if process.get("partitions") else set()
    assert all(f'"{name}"' in helpers for name in extra)
    return {process["envPrefix"] + n for n in common | extra | set(process["env"]) | set(process["secretEnv"])}
