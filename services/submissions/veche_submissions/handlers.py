"""The use cases of the submissions service, one class per area, assembled here."""

from veche_submissions.contests import ContestHandlers
from veche_submissions.municipalities import MunicipalityHandlers
from veche_submissions.practices import PracticeHandlers
from veche_submissions.queries import Queries


class Submissions(ContestHandlers, MunicipalityHandlers, PracticeHandlers, Queries):
    """Every svc.submissions.* operation."""
