"""The use cases of the submissions service, one class per area, assembled here."""

from veche_submissions.contests import ContestHandlers
from veche_submissions.municipalities import MunicipalityHandlers
from veche_submissions.practices import PracticeHandlers
from veche_submissions.queries import Queries
from veche_submissions.snapshot import SnapshotQueries


class Submissions(ContestHandlers, MunicipalityHandlers, PracticeHandlers, Queries, SnapshotQueries):
    """Every svc.submissions.* operation."""
