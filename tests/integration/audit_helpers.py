"""Stream AUDIT made unwritable for a test, the way a full stream refuses: at its limit, with discard new."""

from nats.aio.client import Client
from nats.js.api import DiscardPolicy, StreamConfig

from veche_shared import subjects
from veche_shared.audit import append, cli_entry
from veche_shared.contracts.audit import AuditEntry


class FullTrail:
    """Stream AUDIT at its limit with discard new: every append is refused until `restore`."""

    def __init__(self, nc: Client) -> None:
        self.js = nc.jetstream()
        self.kept: StreamConfig | None = None

    async def fill(self) -> None:
        await append(self.js, cli_entry("fill_the_trail"))  # at least one entry: a limit of 0 means no limit
        info = await self.js.stream_info(subjects.AUDIT_STREAM)
        self.kept = info.config
        await self.js.update_stream(info.config.evolve(max_msgs=info.state.messages, discard=DiscardPolicy.NEW))

    async def restore(self) -> None:
        if self.kept is not None:
            await self.js.update_stream(self.kept)
            self.kept = None

    async def last(self, contest: str) -> AuditEntry:
        """The newest entry about contest."""
        msg = await self.js.get_last_msg(subjects.AUDIT_STREAM, subjects.audit(contest))
        return AuditEntry.model_validate_json(msg.data or b"")
