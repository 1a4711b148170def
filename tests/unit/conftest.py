"""Fixtures of the voting service's use-case tests (tests/unit/voting_helpers.py): its keys, made once per module,
and the identity checker that reads them."""

from collections.abc import AsyncIterator

import pytest

from tests.unit.voting_helpers import in_memory_settings
from tests.voting_helpers import Keys
from veche_voting.identity import Identity


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return Keys.make(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
async def identity(keys: Keys) -> AsyncIterator[Identity]:
    shared = Identity(in_memory_settings(keys))
    yield shared
    await shared.aclose()
