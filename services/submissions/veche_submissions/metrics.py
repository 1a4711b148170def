"""Prometheus metrics of the submissions service: the RED metrics of its RPC handlers."""

from prometheus_client import CollectorRegistry

from veche_shared.metrics import RpcMetrics


class SubmissionsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.rpc = RpcMetrics(registry, "submissions")
