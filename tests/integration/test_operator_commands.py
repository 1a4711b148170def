"""Operator commands find the platform from `--nats`/`--mongodb` or VECHE_NATS_URL/VECHE_MONGODB_URL, nothing else."""

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client

from tests.integration.audit_helpers import FullTrail
from tests.integration.cli_helpers import veche_in_process
from tests.integration.results_helpers import cast, seed_catalog
from tests.submissions_helpers import Service
from veche_results.settings import ResultsSettings
from veche_shared.contracts.audit import PLATFORM_SCOPE
from veche_shared.contracts.catalog import Visibility


def command_environment(**env: str) -> dict[str, str]:
    """A clean environment: no VECHE_* variable unless the test sets it, but for the environment and the
    operator's NATS identity."""
    kept = ("VECHE_ENVIRONMENT", "VECHE_NATS_USER", "VECHE_NATS_PASSWORD", "VECHE_OPERATOR_KEY")
    identity = {k: os.environ[k] for k in kept}
    return {k: v for k, v in os.environ.items() if not k.startswith("VECHE_")} | identity | env


async def veche(*args: str, **env: str) -> tuple[int, str]:
    """The `veche` command as an operator runs it: a process of its own, stdout and stderr together."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "veche_dev.cli",
        *args,
        env=command_environment(**env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return int(process.returncode or 0), out.decode()


async def veche_here(monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> tuple[int, str]:
    """The same command in this process (tests/integration/cli_helpers.py), with the environment veche() gives it;
    what it wrote to stderr (progress, refusals) comes before what it wrote to stdout (results)."""
    environment = command_environment(**env)
    with monkeypatch.context() as patched:
        for name in [name for name in os.environ if name.startswith("VECHE_")]:
            patched.delenv(name)
        for name, value in environment.items():
            patched.setenv(name, value)
        code, out, err = await veche_in_process(*args)
    return code, err + out


async def test_results_recount_reads_the_ledger_and_database_it_is_given(
    nc: Client, infra: dict[str, str], uid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    contest = f"cli-{uid}"
    await seed_catalog(nc, contest, ["perm", "oxford"], Visibility.live)
    for n, practice in enumerate(["perm", "perm", "oxford"]):
        await cast(nc, contest, practice, n)
    # no results service has projected these ballots, so the live tallies (0) differ from the ledger
    code, out = await veche_here(
        monkeypatch, "results-recount", contest, "--nats", infra["nats_url"], "--mongodb", infra["mongodb_url"],
        "--database", f"results_cli_{uid}",
    )  # fmt: skip
    assert code == 1, out
    assert f"DIFFERENT n/{contest}-perm: live 0, recounted 2" in out
    assert f"DIFFERENT n/{contest}-oxford: live 0, recounted 1" in out
    assert f"2 difference(s) in {contest}" in out

    code, out = await veche_here(
        monkeypatch, "results-recount", contest, "--database", f"results_cli_{uid}",
        VECHE_NATS_URL=infra["nats_url"], VECHE_MONGODB_URL=infra["mongodb_url"],
    )  # fmt: skip
    assert (code, out.splitlines()[-1]) == (1, f"2 difference(s) in {contest}"), out


async def test_import_municipalities_by_flag_and_by_environment(
    service: Service, infra: dict[str, str], uid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    header = "id,country,name_en,lat,lon\n"
    first.write_text(header + f"{uid}-a,RU,Perm {uid},58.0,56.2\n")
    second.write_text(header + f"{uid}-a,RU,Perm {uid},58.0,56.2\n{uid}-b,GB,Oxford {uid},51.75,-1.25\n")

    code, out = await veche_here(
        monkeypatch, "import-municipalities", str(first), "--quiet", "--nats", infra["nats_url"]
    )
    assert (code, out.split(" (")[0]) == (0, "1 registered, 0 already there"), out
    code, out = await veche_here(
        monkeypatch, "import-municipalities", str(second), "--quiet", VECHE_NATS_URL=infra["nats_url"]
    )
    assert (code, out.split(" (")[0]) == (0, "1 registered, 1 already there"), out
    assert await service.db.municipalities.count_documents({}) == 2


async def test_the_commands_change_the_catalog_only_with_an_operator_key_the_service_records(
    service: Service, nc: Client, infra: dict[str, str], uid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"id,country,name_en,lat,lon\n{uid}-k,RU,Kazan {uid},55.8,49.1\n")
    code, out = await veche(  # the real command line once: its exit status and message as an operator sees them
        "import-municipalities", str(rows), "--quiet", "--nats", infra["nats_url"], VECHE_OPERATOR_KEY=""
    )
    assert (code, out.strip()) == (1, "this command changes the catalog: set VECHE_OPERATOR_KEY to your operator key")
    code, out = await veche_here(
        monkeypatch,
        "import-municipalities",
        str(rows),
        "--quiet",
        "--nats",
        infra["nats_url"],
        VECHE_OPERATOR_KEY="a-wrong-key",
    )
    assert (code, out.strip()) == (1, "refused by the service: forbidden: this command needs an operator key (admin)")
    assert await service.db.municipalities.find_one({"_id": f"{uid}-k"}) is None

    code, out = await veche_here(
        monkeypatch, "import-municipalities", str(rows), "--quiet", "--nats", infra["nats_url"]
    )
    assert code == 0, out
    entry = await FullTrail(nc).last(PLATFORM_SCOPE)
    cli_operator = json.loads(os.environ["VECHE_SUBMISSIONS_OPERATOR_KEYS"])[0]["name"]  # tests/conftest.py
    assert (entry.operator, entry.via, entry.actor_kind, entry.recorded_by) == (
        cli_operator,
        "cli",
        "operator",
        "submissions",
    )
    assert entry.change == {"rows": 1, "ids": [f"{uid}-k"]}


async def test_results_export_asks_the_results_service_on_the_given_bus(
    results: ResultsSettings, infra: dict[str, str], uid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = await veche_here(
        monkeypatch, "results-export", f"none-{uid}", "--out", str(tmp_path), "--nats", infra["nats_url"]
    )
    assert code == 1, out
    assert out.startswith("cannot export:"), out
    assert "not certified" in out, out
