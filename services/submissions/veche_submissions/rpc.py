"""svc.submissions.* entry points: each operation of the catalogue handed to its use case."""

from faststream.nats import NatsBroker

from veche_shared.metrics import RpcMetrics
from veche_shared.operations import representatives as rep
from veche_shared.operations import submissions as ops
from veche_shared.rpc import serve
from veche_submissions.handlers import Submissions


def register(broker: NatsBroker, app: Submissions, metrics: RpcMetrics | None = None) -> None:
    serve(broker, ops.CONTEST_CREATE, app.create_contest, metrics)
    serve(broker, ops.CONTEST_UPDATE, app.update_contest, metrics)
    serve(broker, ops.CONTEST_CHANGE_PHASE, app.change_phase, metrics)
    serve(broker, ops.CONTEST_GET, app.get_contest, metrics)
    serve(broker, ops.CONTEST_LIST, app.list_contests, metrics)
    serve(broker, ops.NOMINATION_CREATE, app.create_nomination, metrics)
    serve(broker, ops.NOMINATION_UPDATE, app.update_nomination, metrics)
    serve(broker, ops.NOMINATION_LIST, app.list_nominations, metrics)
    serve(broker, ops.MUNICIPALITY_REGISTER, app.register_municipality, metrics)
    serve(broker, ops.MUNICIPALITY_UPDATE, app.update_municipality, metrics)
    serve(broker, ops.MUNICIPALITY_LIST, app.list_municipalities, metrics)
    serve(broker, ops.MUNICIPALITY_IMPORT, app.import_municipalities, metrics)
    serve(broker, ops.PRACTICE_SUBMIT, app.submit_practice, metrics)
    serve(broker, ops.PRACTICE_EDIT, app.edit_practice, metrics)
    serve(broker, ops.PRACTICE_APPROVE, app.approve_practice, metrics)
    serve(broker, ops.PRACTICE_REJECT, app.reject_practice, metrics)
    serve(broker, ops.PRACTICE_WITHDRAW, app.withdraw_practice, metrics)
    serve(broker, ops.PRACTICE_GET, app.get_practice, metrics)
    serve(broker, ops.PHOTO_GET, app.get_photo, metrics)
    serve(broker, ops.PRACTICE_PAGE, app.page_practices, metrics)
    serve(broker, ops.PRACTICE_COUNT, app.practice_counts, metrics)
    serve(broker, ops.CATALOG_SNAPSHOT, app.catalog_snapshot, metrics)
    serve(broker, rep.INVITATION_ISSUE, app.issue_invitation, metrics)
    serve(broker, rep.INVITATION_REVOKE, app.revoke_invitation, metrics)
    serve(broker, rep.INVITATION_LIST, app.list_invitations, metrics)
    serve(broker, rep.INVITATION_RESOLVE, app.resolve_invitation, metrics)
    serve(broker, rep.OWN_PRACTICE_PAGE, app.own_practice_page, metrics)
    serve(broker, rep.OWN_PRACTICE_GET, app.own_practice, metrics)
    serve(broker, rep.OWN_PRACTICE_SUBMIT, app.submit_own_practice, metrics)
    serve(broker, rep.OWN_PRACTICE_EDIT, app.edit_own_practice, metrics)
    serve(broker, rep.OWN_PRACTICE_WITHDRAW, app.withdraw_own_practice, metrics)
    serve(broker, rep.OWN_PRACTICE_RESUBMIT, app.resubmit_own_practice, metrics)
    serve(broker, rep.OWN_PHOTO_ADD, app.add_own_photo, metrics)
    serve(broker, rep.OWN_PHOTO_REMOVE, app.remove_own_photo, metrics)
