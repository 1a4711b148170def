"""The test suite starts its own nats-server and database on free ports in temporary folders."""

import json
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client

from tests.provisioning import provision_bus
from tests.sync import run
from veche_dev import devstack, nats_config
from veche_dev.devkeys import cli_operator_env
from veche_dev.natscluster import PASSWORDS_ENV
from veche_shared.bus import stream_configs

TESTS = Path(__file__).resolve().parent
FOLDER_MARKERS = ("unit", "integration", "e2e", "browser")  # a test's marker is its folder: tests/<marker>/...


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by the folder it lives in, so `-m unit` and the like never miss a file that forgot to."""
    for item in items:
        folder = Path(item.path).resolve().relative_to(TESTS).parts[0]
        if folder in FOLDER_MARKERS:
            item.add_marker(getattr(pytest.mark, folder))


def pytest_configure(config: pytest.Config) -> None:
    """Every process of the tests, in-process or spawned, runs as `test`: unset would mean production."""
    os.environ["VECHE_ENVIRONMENT"] = "test"


CLI_OPERATOR = "cli-operator"  # the operator the commands of the tests act as (VECHE_OPERATOR_KEY)


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """NATS with JetStream and the MongoDB-compatible server (or VECHE_TEST_MONGODB_URL)."""
    base = tmp_path_factory.mktemp("infra")
    logs = Path(os.environ.get("VECHE_TEST_LOGS", base / "logs"))
    nats_port = devstack.free_port()
    passwords = nats_config.new_passwords(with_harness=True)
    conf = nats_config.write_server_config(devstack.base_nats_conf(), base / "nats-conf", passwords)
    started = [devstack.start_nats(nats_port, base / "nats", logs, conf)]
    os.environ.update(nats_config.role_env(passwords))  # every process of the tests has its role's identity
    os.environ.update(cli_operator_env(CLI_OPERATOR, secrets.token_urlsafe(24)))  # the commands' operator key
    os.environ[PASSWORDS_ENV] = json.dumps(passwords)  # for the NATS clusters some tests start (veche_dev.natscluster)
    mongodb_url = os.environ.get("VECHE_TEST_MONGODB_URL", "")
    if not mongodb_url:
        db_port = devstack.free_port()
        started.append(devstack.start_localdb(db_port, base / "db", logs))
        mongodb_url = f"mongodb://127.0.0.1:{db_port}/"
    nats_url = f"nats://127.0.0.1:{nats_port}"
    harness_url = f"nats://{nats_config.HARNESS}:{passwords[nats_config.HARNESS]}@127.0.0.1:{nats_port}"
    run(provision_bus(harness_url))
    yield {"nats_url": nats_url, "harness_url": harness_url, "mongodb_url": mongodb_url, "logs": str(logs)}
    for process in reversed(started):
        process.stop()


@pytest.fixture(scope="module", autouse=True)
def fresh_streams(request: pytest.FixtureRequest) -> None:
    """Each test module starts with new, empty streams, as on a fresh install, so that no service it starts
    replays the catalog and ballots of earlier modules (the crash test alone leaves 20,000). Stream names are
    fixed, hence new streams rather than streams of its own; the previous module's services have stopped."""
    tests = (item for item in request.session.items if isinstance(item, pytest.Function))
    if any(test.module is request.module and "infra" in test.fixturenames for test in tests):
        run(_fresh_streams(request.getfixturevalue("infra")["harness_url"]))


async def _fresh_streams(nats_url: str) -> None:
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        for config in stream_configs(replicas=1):
            await js.delete_stream(config.name or "")  # with its consumers
    finally:
        await client.close()
    await provision_bus(nats_url)


@pytest.fixture
def uid() -> str:
    """A fresh id so that tests never share contests, databases or consumers."""
    return uuid.uuid4().hex[:12]


@pytest.fixture
async def nc(infra: dict[str, str]) -> AsyncIterator[Client]:
    """The test's own connection, as the harness identity (allowed everything; the services have their roles)."""
    client = await nats.connect(infra["harness_url"])
    yield client
    await client.close()
