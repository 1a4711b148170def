"""The RPC catalogue: every request-reply operation of Veche, declared once with its subject, request and reply.

Callers use `veche_shared.rpc.call(nc, OP, request)`, services `serve(broker, OP, handler)`; the AsyncAPI
document (docs/asyncapi.json) is generated from here.
"""

from typing import Any

from veche_shared.operations import representatives, results, submissions, voting
from veche_shared.rpc import Operation

ALL: tuple[Operation[Any, Any], ...] = (
    *submissions.OPERATIONS,
    *representatives.OPERATIONS,
    *voting.OPERATIONS,
    *results.OPERATIONS,
)
