"""Prometheus metrics of the results service."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ResultsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
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
            "Last VOTES stream sequence applied to the tallies, by projector partition",
            ["partition"],
            registry=registry,
        )
        self.ledger_last_seq = Gauge(
            "veche_results_ledger_last_sequence",
            "Last sequence in stream VOTES (lag = this minus veche_results_applied_sequence)",
            registry=registry,
        )
        self.freshness = Histogram(
            "veche_results_vote_to_count_seconds",
            "From a ballot's cast_at to the moment its batch was applied",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
            registry=registry,
        )
        self.dead_letters = Counter(
            "veche_results_dead_letters", "Ledger messages moved to the dead-letter stream", registry=registry
        )
