"""svc.submissions.* entry points: parse, hand off to the use cases."""

from faststream.nats import NatsBroker

from veche_shared.contracts import submissions as c
from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import PracticeCountsQuery
from veche_shared.metrics import RpcMetrics
from veche_shared.rpc import serve
from veche_submissions.handlers import Submissions


def register(broker: NatsBroker, app: Submissions, metrics: RpcMetrics | None = None) -> None:
    s = c.SERVICE
    serve(broker, s, "contest.create", c.CreateContest, app.create_contest, metrics)
    serve(broker, s, "contest.update", c.UpdateContest, app.update_contest, metrics)
    serve(broker, s, "contest.phase", c.ChangePhase, app.change_phase, metrics)
    serve(broker, s, "contest.get", c.GetContest, app.get_contest, metrics)
    serve(broker, s, "contest.list", Empty, app.list_contests, metrics)
    serve(broker, s, "nomination.create", c.CreateNomination, app.create_nomination, metrics)
    serve(broker, s, "nomination.update", c.UpdateNomination, app.update_nomination, metrics)
    serve(broker, s, "nomination.list", c.ListNominations, app.list_nominations, metrics)
    serve(broker, s, "municipality.register", c.RegisterMunicipality, app.register_municipality, metrics)
    serve(broker, s, "municipality.update", c.UpdateMunicipality, app.update_municipality, metrics)
    serve(broker, s, "municipality.list", c.ListMunicipalities, app.list_municipalities, metrics)
    serve(broker, s, "municipality.import", c.ImportMunicipalities, app.import_municipalities, metrics)
    serve(broker, s, "practice.submit", c.SubmitPractice, app.submit_practice, metrics)
    serve(broker, s, "practice.edit", c.EditPractice, app.edit_practice, metrics)
    serve(broker, s, "practice.approve", c.ModeratePractice, app.approve_practice, metrics)
    serve(broker, s, "practice.reject", c.RejectPractice, app.reject_practice, metrics)
    serve(broker, s, "practice.withdraw", c.ModeratePractice, app.withdraw_practice, metrics)
    serve(broker, s, "practice.list", c.ListPractices, app.list_practices, metrics)
    serve(broker, s, "practice.page", c.ListPractices, app.page_practices, metrics)
    serve(broker, s, "practice.counts", PracticeCountsQuery, app.practice_counts, metrics)
    serve(broker, s, "catalog.snapshot", c.SnapshotQuery, app.catalog_snapshot, metrics)
