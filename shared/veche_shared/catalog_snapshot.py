"""Start a catalog view from the submissions service's snapshot instead of replaying all of CATALOG."""

import logging

from nats.aio.client import Client

from veche_shared.catalog_view import CatalogView
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice
from veche_shared.contracts.submissions import SnapshotQuery
from veche_shared.errors import ServiceTimeout, ServiceUnavailable
from veche_shared.operations.submissions import CATALOG_SNAPSHOT
from veche_shared.rpc import call

log = logging.getLogger("veche.catalog")


async def load_snapshot(nc: Client, view: CatalogView, timeout: float) -> int:
    """Fill the view page by page; return the CATALOG sequence to follow from (1 if no snapshot was had)."""
    query = SnapshotQuery()
    resume_from: int | None = None
    try:
        while True:
            page = await call(nc, CATALOG_SNAPSHOT, query, timeout=timeout)
            resume_from = resume_from or page.resume_from  # the position read before the first page
            entities: list[Contest | Nomination | Municipality | Practice] = [
                *page.contests,
                *page.nominations,
                *page.municipalities,
                *page.practices,
            ]
            for entity in entities:
                view.keep(entity)
            if page.next_cursor is None:
                return resume_from
            query = SnapshotQuery(cursor=page.next_cursor)
    except (ServiceUnavailable, ServiceTimeout) as exc:
        log.warning("no catalog snapshot (%s); replaying stream CATALOG from the start", exc.code)
        return 1  # whatever pages arrived are real states; the replay converges on top of them
