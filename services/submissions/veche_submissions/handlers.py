"""The use cases of the submissions service, one class per area, assembled here."""

from veche_submissions.contests import ContestHandlers
from veche_submissions.invitations import InvitationHandlers
from veche_submissions.municipalities import MunicipalityHandlers
from veche_submissions.photos import PhotoHandlers
from veche_submissions.queries import Queries
from veche_submissions.snapshot import SnapshotQueries


class Submissions(ContestHandlers, MunicipalityHandlers, PhotoHandlers, InvitationHandlers, Queries, SnapshotQueries):
    """Every svc.submissions.* operation."""
