"""svc.submissions.*: the contest catalog (contests, nominations, municipalities, practices)."""

from typing import Any

from veche_shared.contracts import submissions as c
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice
from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import PracticeCounts, PracticeCountsQuery
from veche_shared.operations.health import status_of
from veche_shared.rpc import Operation

S = c.SERVICE

# by_key: the operator commands (demo-load, import-municipalities) ask these on their keyed subject with an operator
# key the service checks; their NATS identity may not ask the plain subject (docs/security.md)
CONTEST_CREATE = Operation(
    S, "contest.create", c.CreateContest, Contest, "Create a contest in phase draft.", by_key="admin"
)
CONTEST_UPDATE = Operation(S, "contest.update", c.UpdateContest, Contest, "Change a contest's title or settings.")
CONTEST_CHANGE_PHASE = Operation(
    S, "contest.change_phase", c.ChangePhase, Contest, "Move a contest to a phase.", by_key="admin"
)
CONTEST_GET = Operation(S, "contest.get", c.GetContest, Contest, "A contest in any phase, drafts included.")
CONTEST_LIST = Operation(S, "contest.list", Empty, list[Contest], "Every contest, drafts included.")
NOMINATION_CREATE = Operation(
    S, "nomination.create", c.CreateNomination, Nomination, "Add a nomination.", by_key="admin"
)
NOMINATION_UPDATE = Operation(
    S, "nomination.update", c.UpdateNomination, Nomination, "Retitle, reorder or archive a nomination."
)
NOMINATION_LIST = Operation(S, "nomination.list", c.ListNominations, list[Nomination], "Nominations of a contest.")
MUNICIPALITY_REGISTER = Operation(
    S, "municipality.register", c.RegisterMunicipality, Municipality, "Register a municipality.", by_key="admin"
)
MUNICIPALITY_UPDATE = Operation(S, "municipality.update", c.UpdateMunicipality, Municipality, "Change a municipality.")
# Pages: on the development database (FerretDB v1 on SQLite) any query but `_id` equality reads the whole
# collection, so a page of 10,000 practices takes seconds on a busy machine; MongoDB answers from the indexes.
PAGE_TIMEOUT = 30.0
MUNICIPALITY_LIST = Operation(
    S, "municipality.list", c.ListMunicipalities, c.MunicipalityPage, "One page of municipalities (id order).",
    timeout=PAGE_TIMEOUT,
)  # fmt: skip
MUNICIPALITY_IMPORT = Operation(
    S, "municipality.import", c.ImportMunicipalities, c.ImportReport, "Register a batch.", timeout=60, by_key="admin"
)
PRACTICE_SUBMIT = Operation(
    S, "practice.submit", c.SubmitPractice, Practice, "Submit a practice (pending).", by_key="admin"
)
PRACTICE_EDIT = Operation(S, "practice.edit", c.EditPractice, Practice, "Edit a pending practice.")
PRACTICE_APPROVE = Operation(
    S, "practice.approve", c.ModeratePractice, Practice, "Approve a pending practice.", by_key="moderator"
)
PRACTICE_REJECT = Operation(S, "practice.reject", c.RejectPractice, Practice, "Reject a pending practice.")
PRACTICE_WITHDRAW = Operation(S, "practice.withdraw", c.ModeratePractice, Practice, "Withdraw a practice.")
PHOTO_GET = Operation(S, "practice.photo_get", c.GetPhoto, c.PhotoFile, "One size of a practice's photo.")
PRACTICE_GET = Operation(S, "practice.get", c.GetPractice, Practice, "One approved practice of a public contest.")
PRACTICE_PAGE = Operation(
    S, "practice.page", c.ListPractices, c.PracticePage, "One page of practices (the public sees approved ones).",
    timeout=PAGE_TIMEOUT,
)  # fmt: skip
PRACTICE_COUNT = Operation(
    S, "practice.count", PracticeCountsQuery, PracticeCounts, "Practices of a contest by status."
)
CATALOG_SNAPSHOT = Operation(
    S, "catalog.snapshot", c.SnapshotQuery, c.CatalogSnapshot, "One page of the catalog and where CATALOG resumes."
)
HEALTH_STATUS = status_of(S)

OPERATIONS: tuple[Operation[Any, Any], ...] = (
    CONTEST_CREATE,
    CONTEST_UPDATE,
    CONTEST_CHANGE_PHASE,
    CONTEST_GET,
    CONTEST_LIST,
    NOMINATION_CREATE,
    NOMINATION_UPDATE,
    NOMINATION_LIST,
    MUNICIPALITY_REGISTER,
    MUNICIPALITY_UPDATE,
    MUNICIPALITY_LIST,
    MUNICIPALITY_IMPORT,
    PRACTICE_SUBMIT,
    PRACTICE_EDIT,
    PRACTICE_APPROVE,
    PRACTICE_REJECT,
    PRACTICE_WITHDRAW,
    PRACTICE_GET,
    PHOTO_GET,
    PRACTICE_PAGE,
    PRACTICE_COUNT,
    CATALOG_SNAPSHOT,
    HEALTH_STATUS,
)
