"""Prometheus metrics of the results service."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from veche_shared.metrics import RpcMetrics


class ResultsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.rpc = RpcMetrics(registry, "results")
        self.batch_size = Histogram(
            "veche_results_batch_size",
            "Ledger messages applied per batch",
            buckets=(1, 10, 50, 100, 250, 500, 1000, 2500),
            registry=registry,
        )
        self.apply_seconds = Histogram(
            "veche_results_apply_seconds", "Time to apply one batch to MongoDB", registry=registry
        )
        self.applied_seq = Gauge(
            "veche_results_applied_sequence",
            "Last VOTES stream sequence applied to the tallies, by ledger partition read (all: the whole ledger)",
            ["partition"],
            registry=registry,
        )
        self.dead_letters = Counter(
            "veche_results_dead_letters_total", "Ledger messages moved to the dead-letter stream", registry=registry
        )
        self.lag = Gauge(
            "veche_results_projector_lag_messages",
            "Ledger messages of this process's partitions not yet applied (consumers' pending + unacknowledged)",
            registry=registry,
        )
        self.freshness = Histogram(
            "veche_results_vote_freshness_seconds",
            "Seconds from cast_at of the newest ballot in a batch to the batch being applied",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=registry,
        )
        self.ballots = Counter(
            "veche_results_ballots_applied_total",
            "Ballots applied to the tallies, by contest and nomination (catalog ids, created by organisers)",
            ["contest", "nomination"],
            registry=registry,
        )
