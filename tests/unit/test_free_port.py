"""free_port: the two halves of `make test` run at once and take ports of a block each (VECHE_PORT_BLOCK), so
neither can bind a port the other chose; one process never hands the same port out twice."""

import pytest

from veche_dev import devstack


@pytest.mark.parametrize("block", ["0", "1"])
def test_ports_stay_in_the_halfs_block_and_are_never_handed_out_twice(
    block: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VECHE_PORT_BLOCK", block)
    low, high = devstack.PORT_BLOCKS[block]
    ports = [devstack.free_port() for _ in range(50)]
    assert all(low <= port < high for port in ports)
    assert len(set(ports)) == 50
