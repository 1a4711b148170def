"""svc.submissions.* entry points: each operation of the catalogue handed to its use case."""

from typing import Any

from faststream.nats import NatsBroker

from veche_shared.metrics import RpcMetrics
from veche_shared.operations import representatives as rep
from veche_shared.operations import submissions as ops
from veche_shared.operators import OperatorKey
from veche_shared.rpc import Route, route, serve_routes
from veche_submissions.handlers import Submissions


def routes(app: Submissions) -> list[Route[Any, Any]]:
    """Every operation of svc.submissions.* and its use case."""
    return [
        route(ops.CONTEST_CREATE, app.create_contest),
        route(ops.CONTEST_UPDATE, app.update_contest),
        route(ops.CONTEST_CHANGE_PHASE, app.change_phase),
        route(ops.CONTEST_GET, app.get_contest),
        route(ops.CONTEST_LIST, app.list_contests),
        route(ops.NOMINATION_CREATE, app.create_nomination),
        route(ops.NOMINATION_UPDATE, app.update_nomination),
        route(ops.NOMINATION_LIST, app.list_nominations),
        route(ops.MUNICIPALITY_REGISTER, app.register_municipality),
        route(ops.MUNICIPALITY_UPDATE, app.update_municipality),
        route(ops.MUNICIPALITY_LIST, app.list_municipalities),
        route(ops.MUNICIPALITY_IMPORT, app.import_municipalities),
        route(ops.PRACTICE_SUBMIT, app.submit_practice),
        route(ops.PRACTICE_EDIT, app.edit_practice),
        route(ops.PRACTICE_APPROVE, app.approve_practice),
        route(ops.PRACTICE_REJECT, app.reject_practice),
        route(ops.PRACTICE_WITHDRAW, app.withdraw_practice),
        route(ops.PRACTICE_GET, app.get_practice),
        route(ops.PHOTO_GET, app.get_photo),
        route(ops.PRACTICE_PAGE, app.page_practices),
        route(ops.PRACTICE_COUNT, app.practice_counts),
        route(ops.CATALOG_SNAPSHOT, app.catalog_snapshot),
        route(rep.INVITATION_ISSUE, app.issue_invitation),
        route(rep.INVITATION_REVOKE, app.revoke_invitation),
        route(rep.INVITATION_LIST, app.list_invitations),
        route(rep.INVITATION_RESOLVE, app.resolve_invitation),
        route(rep.OWN_PRACTICE_PAGE, app.own_practice_page),
        route(rep.OWN_PRACTICE_GET, app.own_practice),
        route(rep.OWN_PRACTICE_SUBMIT, app.submit_own_practice),
        route(rep.OWN_PRACTICE_EDIT, app.edit_own_practice),
        route(rep.OWN_PRACTICE_WITHDRAW, app.withdraw_own_practice),
        route(rep.OWN_PRACTICE_RESUBMIT, app.resubmit_own_practice),
        route(rep.OWN_PHOTO_ADD, app.add_own_photo),
        route(rep.OWN_PHOTO_REMOVE, app.remove_own_photo),
    ]


def register(
    broker: NatsBroker,
    app: Submissions,
    metrics: RpcMetrics | None = None,
    operator_keys: list[OperatorKey] | None = None,
) -> None:
    """Serve every route; the commands' operations also on their keyed subjects, checked against operator_keys."""
    serve_routes(broker, routes(app), metrics, operator_keys or [])
