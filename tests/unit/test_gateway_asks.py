"""The gateway's NATS user may request exactly the operations its code calls (tools gateway_asks)."""

import importlib
import pkgutil

import veche_gateway
from tests.catalogue import operations_named
from veche_dev.gateway_asks import GATEWAY_ASKS


def called_by_gateway() -> set[str]:
    subjects: set[str] = set()
    for info in pkgutil.walk_packages(veche_gateway.__path__, "veche_gateway."):
        subjects |= operations_named(importlib.import_module(info.name))
    return subjects


def test_the_gateway_may_ask_for_what_its_code_calls_and_nothing_else() -> None:
    assert called_by_gateway() == {op.subject for op in GATEWAY_ASKS}
