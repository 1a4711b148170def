"""Which operations of the catalogue a module's code refers to (the NATS grants of the gateway and the operator
commands are checked against it)."""

import ast
from pathlib import Path
from types import ModuleType

from veche_shared.rpc import Operation


def operations_named(module: ModuleType) -> set[str]:
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
