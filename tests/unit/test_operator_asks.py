"""The operator's NATS user may request exactly the operations the operator commands call (tools operator_asks)."""

import importlib
import pkgutil

import veche_dev
from tests.catalogue import operations_named
from veche_dev.operator_asks import OPERATOR_ASKS

COMMANDS_NOT_OPERATORS = {"veche_dev.gateway_asks", "veche_dev.operator_asks", "veche_dev.nats_config"}


def called_by_commands() -> set[str]:
    subjects: set[str] = set()
    for info in pkgutil.iter_modules(veche_dev.__path__, "veche_dev."):
        if info.name not in COMMANDS_NOT_OPERATORS and not info.name.startswith("veche_dev.demo."):
            subjects |= operations_named(importlib.import_module(info.name))
    return subjects


def test_the_operator_may_ask_for_what_the_commands_call_and_nothing_else() -> None:
    assert called_by_commands() == {op.subject for op in OPERATOR_ASKS}
