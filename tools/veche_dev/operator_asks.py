"""The operations of the catalogue the operator commands call: the `operator` NATS user may request these and no
others (it used to hold `svc.>`: every operation of every service).

tests/unit/test_operator_asks.py reads the operations off the commands' code and fails when this list and the code
disagree. `veche nats-config` writes the grant; the permissions' own test (test_nats_permissions) shows it.
"""

from typing import Any

from veche_shared.operations import results as r
from veche_shared.operations import submissions as s
from veche_shared.rpc import Operation

OPERATOR_ASKS: tuple[Operation[Any, Any], ...] = (
    s.CONTEST_CREATE, s.CONTEST_GET, s.CONTEST_CHANGE_PHASE, s.NOMINATION_CREATE,  # demo-load
    s.MUNICIPALITY_REGISTER, s.PRACTICE_SUBMIT, s.PRACTICE_APPROVE,  # demo-load
    s.MUNICIPALITY_IMPORT,  # import-municipalities
    r.CERTIFICATE_GET,  # results-export
)  # fmt: skip


def operator_requests() -> list[str]:
    """The subjects: an operation the commands ask by key only on its keyed subject (the service checks the key)."""
    return [op.keyed_subject if op.by_key is not None else op.subject for op in OPERATOR_ASKS]
