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

from tests.live_helpers import SHARED
from tests.provisioning import fresh_bus, provision_bus
from tests.sync import run
from veche_dev import devstack, nats_config
from veche_dev.devkeys import cli_operator_env
from veche_dev.natscluster import PASSWORDS_ENV

TESTS = Path(__file__).resolve().parent
FOLDER_MARKERS = ("unit", "integration", "e2e", "browser")  # a test's marker is its folder: tests/<marker>/...


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by the folder it lives in, so `-m unit` and the like never miss a file that forgot to; and
    within a folder, run the modules on its shared platform before those with a platform of their own, so that
    the shared one starts once (the order of modules is otherwise kept)."""
    for item in items:
        folder = folder_of(item)
        if folder in FOLDER_MARKERS:
            item.add_marker(getattr(pytest.mark, folder))
    folders = {folder_of(item): index for index, item in reversed(list(enumerate(items)))}
    modules_on_shared = {
        item.module for item in items if isinstance(item, pytest.Function) and on_shared_platform(item)
    }
    items.sort(key=lambda item: (folders[folder_of(item)], getattr(item, "module", None) not in modules_on_shared))


def folder_of(item: pytest.Item) -> str:
    return Path(item.path).resolve().relative_to(TESTS).parts[0]


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
    SHARED.stop()  # a folder's platform outlives its modules: it stops before the bus and database it runs on
    for process in reversed(started):
        process.stop()


@pytest.fixture(scope="module", autouse=True)
def fresh_streams(request: pytest.FixtureRequest) -> None:
    """Each test module starts with new, empty streams, as on a fresh install, so that no service it starts
    replays the catalog and ballots of earlier modules (the crash test alone leaves 20,000). Stream names are
    fixed, hence new streams rather than streams of its own; the previous module's services have stopped.
    A module on its folder's shared platform (tests/live_helpers.py SharedPlatform) starts on the streams that
    platform started on: a module on a platform or services of its own stops the shared one first."""
    tests = [item for item in request.session.items if isinstance(item, pytest.Function)]
    mine = [test for test in tests if test.module is request.module]
    if any(on_shared_platform(test) for test in mine):
        return
    if any("infra" in test.fixturenames for test in mine):
        SHARED.stop()
        run(fresh_bus(request.getfixturevalue("infra")["harness_url"]))


def on_shared_platform(test: pytest.Function) -> bool:
    """Whether test runs on its folder's shared platform: it asks for `platform`, and its module does not define one
    of its own (the `platform` fixtures of tests/e2e, tests/browser and tests/browser/console are the shared ones)."""
    return "platform" in test.fixturenames and not hasattr(test.module, "platform")


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
