"""docs/configuration.md is what the settings classes say (regenerate with `python -m tests.config_reference`)."""

from tests.config_reference import TARGET, render


def test_configuration_reference_is_current() -> None:
    assert TARGET.read_text() == render(), "docs/configuration.md is stale: run `python -m tests.config_reference`"
