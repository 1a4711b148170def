"""The gateway's NATS user may request exactly the operations its code calls (tools gateway_asks)."""

import ast
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import veche_gateway
from veche_dev.gateway_asks import GATEWAY_ASKS
from veche_shared.rpc import Operation


def _operations_named(module: ModuleType) -> set[str]:
    """The catalogue operations a module refers to, as `ops.NAME` or as an imported NAME."""
    found = set()
    for node in ast.walk(ast.parse(Path(module.__file__ or "").read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = getattr(module, node.value.id, None)
            candidate = getattr(owner, node.attr, None) if isinstance(owner, ModuleType) else None
        else:
            candidate = getattr(module, node.id, None) if isinstance(node, ast.Name) else None
        if isinstance(candidate, Operation):
            found.add(candidate.subject)
    return found


def called_by_gateway() -> set[str]:
    subjects: set[str] = set()
    for info in pkgutil.walk_packages(veche_gateway.__path__, "veche_gateway."):
        subjects |= _operations_named(importlib.import_module(info.name))
    return subjects


def test_the_gateway_may_ask_for_what_its_code_calls_and_nothing_else() -> None:
    assert called_by_gateway() == {op.subject for op in GATEWAY_ASKS}
