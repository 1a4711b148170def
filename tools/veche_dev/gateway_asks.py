"""The operations of the catalogue the gateway's routes call: its NATS user may request these and no others.

tests/unit/test_gateway_asks.py reads the operations off the gateway's code and fails when this list and the
code disagree, so a new route cannot be forgotten here (its request would be refused by nats-server).
"""

from typing import Any

from veche_shared import subjects
from veche_shared.operations import representatives as m
from veche_shared.operations import results as r
from veche_shared.operations import submissions as s
from veche_shared.operations import voting as v
from veche_shared.rpc import Operation

GATEWAY_ASKS: tuple[Operation[Any, Any], ...] = (
    s.CONTEST_CREATE, s.CONTEST_UPDATE, s.CONTEST_CHANGE_PHASE, s.CONTEST_GET, s.CONTEST_LIST,
    s.NOMINATION_CREATE, s.NOMINATION_UPDATE, s.NOMINATION_LIST,
    s.MUNICIPALITY_REGISTER, s.MUNICIPALITY_UPDATE, s.MUNICIPALITY_LIST, s.MUNICIPALITY_IMPORT,
    s.PRACTICE_SUBMIT, s.PRACTICE_EDIT, s.PRACTICE_APPROVE, s.PRACTICE_REJECT, s.PRACTICE_WITHDRAW,
    s.PRACTICE_GET, s.PHOTO_GET, s.PRACTICE_PAGE, s.PRACTICE_COUNT,
    m.INVITATION_ISSUE, m.INVITATION_REVOKE, m.INVITATION_LIST, m.INVITATION_RESOLVE,
    m.OWN_PRACTICE_PAGE, m.OWN_PRACTICE_GET, m.OWN_PRACTICE_SUBMIT, m.OWN_PRACTICE_EDIT, m.OWN_PRACTICE_WITHDRAW,
    m.OWN_PRACTICE_RESUBMIT, m.OWN_PHOTO_ADD, m.OWN_PHOTO_REMOVE,
    v.BALLOT_CAST, v.BALLOT_GET, v.BALLOT_ANNUL,  # an annulment also carries the admin's key, which voting checks
    v.ROLL_GET, v.ROLL_WRITE, v.ROLL_COMMIT,  # a roll upload too
    r.LEADERBOARD_GET, r.LEADERBOARD_SEALED, r.LEADERBOARD_LIST, r.CONTEST_TOTALS_GET, r.MUNICIPALITY_TOTALS_GET,
    r.TIMESERIES_GET, r.CERTIFICATE_GET, r.LEDGER_RECOUNT, r.LEDGER_STATUS, r.BALLOT_PAGE,
    r.LOG_CHECKPOINT, r.LOG_TILE, r.LOG_INCLUSION, r.LOG_LEAF, r.LOG_CONSISTENCY, r.LOG_COSIGN,
)  # fmt: skip
STATUS_OF = (s.S, v.S, r.S)  # /ops asks every replica of these services (subjects.health_instances)


def gateway_requests() -> list[str]:
    """The subjects the gateway may request: its operations and the /ops status of every service's replicas."""
    return [op.subject_filter for op in GATEWAY_ASKS] + [subjects.health_instances(service) for service in STATUS_OF]
