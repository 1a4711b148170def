"""docs/configuration.md, written from the settings classes: `python -m tests.config_reference` rewrites it, and
tests/unit/test_config_reference.py fails when the file and the classes disagree."""

import json
import sys
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from veche_gateway.settings import GatewaySettings
from veche_results.settings import ResultsSettings
from veche_shared.settings import MIN_SECRET_BYTES, VecheSettings, shared_environment
from veche_submissions.settings import SubmissionsSettings
from veche_voting.settings import VotingSettings

PROCESSES: dict[str, type[VecheSettings]] = {
    "gateway": GatewaySettings,
    "submissions": SubmissionsSettings,
    "voting": VotingSettings,
    "results": ResultsSettings,
}
TARGET = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
HEAD = f"""# Configuration reference

Generated from the settings classes by `python -m tests.config_reference`; a unit test fails when this file and
the classes disagree. Every process reads environment variables with its own prefix (`VECHE_GATEWAY_`,
`VECHE_SUBMISSIONS_`, `VECHE_VOTING_`, `VECHE_RESULTS_`); nested values are JSON, or `__` between levels.

**Environment.** Every process reads `VECHE_ENVIRONMENT` (`dev`, `test` or `prod`; a prefixed
`VECHE_<PROCESS>_ENVIRONMENT` overrides it for one process). A process started without any is `prod`. Outside
`dev` and `test` a process refuses to start, naming the setting, when a secret (marked **secret** below) still
holds a development placeholder or is shorter than {MIN_SECRET_BYTES} bytes. `make up` sets `dev`, the tests `test`.
See docs/security.md for which secrets and credentials an operator sets.
"""


def default_of(info: FieldInfo) -> str:
    if info.default_factory is shared_environment:
        return "`VECHE_ENVIRONMENT`, else `prod`"
    value: Any = info.default_factory() if info.default_factory is not None else info.default  # type: ignore[call-arg]
    if is_secret(info):
        return "development placeholder" if value else "none"
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    return f"`{json.dumps(value, default=str)}`"


def is_secret(info: FieldInfo) -> bool:
    return "SecretStr" in str(info.annotation)


def type_of(info: FieldInfo) -> str:
    text = str(info.annotation).replace("typing.", "").replace("pydantic.types.", "").replace("pathlib.", "")
    text = text.replace("pydantic.networks.", "").replace("veche_gateway.settings.", "").replace("<class '", "")
    return text.replace("'>", "").replace("|", "\\|")


def table(process: str, settings: type[VecheSettings]) -> str:
    prefix = str(settings.model_config.get("env_prefix", ""))
    rows = ["| variable | type | default | meaning |", "|---|---|---|---|"]
    for name, info in settings.model_fields.items():
        meaning = (info.description or "").replace("|", "\\|").replace("\n", " ")
        if is_secret(info):
            meaning = f"**secret**; {meaning}"
        rows.append(f"| `{prefix}{name.upper()}` | {type_of(info)} | {default_of(info)} | {meaning} |")
    return f"## {process}\n\n" + "\n".join(rows) + "\n"


def render() -> str:
    return "\n".join([HEAD, *(table(p, s) for p, s in PROCESSES.items())])


if __name__ == "__main__":
    TARGET.write_text(render())
    sys.stdout.write(f"wrote {TARGET}\n")
