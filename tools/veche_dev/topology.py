"""The platform's processes, declared once: `veche up`, the test suite and the benchmarks start them from here."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class ServiceProcess:
    """One service process: the module `python -m` runs, its settings prefix and the HTTP port `veche up` gives it."""

    module: str
    port: int
    metrics_port: int | None = None  # an internal /metrics listener apart from `port` (the gateway's)
    env: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def name(self) -> str:
        return self.module.removeprefix("veche_")

    @property
    def env_prefix(self) -> str:
        return f"VECHE_{self.name.upper()}_"

    def settings_env(self, nats_url: str, mongodb_url: str, port: int) -> dict[str, str]:
        """The environment that points this process at the bus, the database and its port."""
        return {
            f"{self.env_prefix}NATS_URL": nats_url,
            f"{self.env_prefix}MONGODB_URL": mongodb_url,
            f"{self.env_prefix}HTTP_PORT": str(port),
            **self.env,
        }


# Start order matters: the gateway warms its boards by RPC, so it comes after the services it asks.
LOCAL: tuple[ServiceProcess, ...] = (
    ServiceProcess("veche_submissions", 8101),
    ServiceProcess("veche_voting", 8102),
    ServiceProcess("veche_results", 8103),
    ServiceProcess("veche_gateway", 8000, metrics_port=8100),
)
NATS_PORT = 4222
MONGODB_PORT = 27017
PROMETHEUS_PORT = 9090


def find(module: str, topology: tuple[ServiceProcess, ...] = LOCAL) -> ServiceProcess:
    for process in topology:
        if process.module == module:
            return process
    raise KeyError(f"{module} is not a process of this topology")
