import pytest

from veche_shared.bus import ServerTooOld, check_server_version


@pytest.mark.parametrize("version", ["2.14.0", "2.14.2", "2.15.1", "3.0.0", "2.15.0-beta.1"])
def test_servers_with_the_subject_guard_header_and_consumer_reset_are_accepted(version: str) -> None:
    assert check_server_version(version) == version


@pytest.mark.parametrize("version", ["2.13.9", "2.12.0-beta.1", "2.10.29", "2.9.0", "0.0.0"])
def test_older_servers_are_refused(version: str) -> None:
    with pytest.raises(ServerTooOld, match=r"2\.14\.0"):
        check_server_version(version)
