"""`veche import-municipalities`: the real command against the running service, real NATS and database."""

import asyncio
import csv
import sys
from pathlib import Path

import pytest

from tests.integration.cli_helpers import veche_in_process
from tests.submissions_helpers import Service
from veche_dev import factories as f
from veche_shared import subjects
from veche_shared.operations import submissions as ops

HEADER = ["id", "country", "name_en", "name_ru", "region", "lat", "lon", "population"]


def write_csv(path: Path, uid: str, rows: int, bad_line: int | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(rows):
            lat = "91.5" if i + 2 == bad_line else f"{(i % 180) - 89.5:.4f}"
            writer.writerow([f"{uid}-{i}", "RU", f"Town {uid} {i}", f"Город {i}", "Perm Krai", lat, "56.25", i * 10])
    return path


async def veche(infra: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run the real `veche` command line without blocking the in-process service's event loop (the 10,000-row
    import, whose rate bench/csv_import.py reads; the others run in this process, through veche_here)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "veche_dev.cli",
        *args,
        "--nats",
        infra["nats_url"],
        "--quiet",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return int(process.returncode or 0), out.decode(), err.decode()


async def veche_here(infra: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The same in this process (tests/integration/cli_helpers.py)."""
    return await veche_in_process(*args, "--nats", infra["nats_url"], "--quiet")


@pytest.mark.timeout(600)
@pytest.mark.heavy
async def test_ten_thousand_with_one_bad_line_import_nothing_then_all_once(
    service: Service, infra: dict[str, str], uid: str, tmp_path: Path
) -> None:
    broken = write_csv(tmp_path / "broken.csv", uid, 10_000, bad_line=5_001)
    code, _, err = await veche(infra, "import-municipalities", str(broken))
    assert code == 1
    assert "line 5001: lat: Input should be less than or equal to 90" in err
    assert "line 5002" not in err
    assert await service.db.municipalities.count_documents({}) == 0

    good = write_csv(tmp_path / "good.csv", uid, 10_000)
    for expected in ("10000 registered, 0 already there", "0 registered, 10000 already there"):
        code, out, err = await veche(infra, "import-municipalities", str(good))
        assert (code, expected) == (0, out.split(" (")[0].strip()), err
        print(out.strip())  # the import rate (bench/csv_import.py measures it for bench/README.md)
    assert await service.db.municipalities.count_documents({}) == 10_000
    for i in (0, 4_999, 9_999):
        assert await service.catalog_count(subjects.catalog_event("municipality", f"{uid}-{i}")) == 1


async def test_rows_clashing_with_registered_ones_import_nothing(
    service: Service, infra: dict[str, str], uid: str, tmp_path: Path
) -> None:
    await service.ask(ops.MUNICIPALITY_REGISTER, f.municipality(f"{uid}-old", f"Town {uid} 3"))
    path = write_csv(tmp_path / "clash.csv", uid, 10)
    code, _, err = await veche_here(infra, "import-municipalities", str(path))
    assert code == 1
    assert f"line 5: name_taken: the name is registered as {uid}-old" in err
    assert await service.db.municipalities.count_documents({}) == 1


async def test_file_errors_are_named_by_line(service: Service, infra: dict[str, str], uid: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dupes.csv", uid, 3)
    with path.open("a", encoding="utf-8") as file:
        file.write(f"{uid}-1,RU,Other,,,1,1,\n{uid}-9,ru,Nine,,,1,1,\nbad id,RU,X,,,1,1,\n{uid}-8,RU,,,,1,1,\n")
    code, _, err = await veche_here(infra, "import-municipalities", str(path))
    assert code == 1
    lines = [e.split(": ", 2)[1] for e in err.splitlines() if ": line " in e]
    assert lines == ["line 5", "line 6", "line 7", "line 8"], err
    assert await service.db.municipalities.count_documents({}) == 0
