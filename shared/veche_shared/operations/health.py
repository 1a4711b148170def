"""svc.<service>.health.status: every process answers it with its readiness checks (the /ops page asks)."""

from veche_shared.contracts.common import Empty
from veche_shared.contracts.ops import ServiceStatus
from veche_shared.rpc import Operation


def status_of(service: str) -> Operation[Empty, ServiceStatus]:
    """The one declaration of the status operation, for each service's catalogue."""
    return Operation(service, "health.status", Empty, ServiceStatus, "Readiness checks and uptime of one instance.")
