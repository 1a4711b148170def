"""Prometheus metrics of the voting service; labels come from closed sets only (never ids or hashes)."""

from prometheus_client import CollectorRegistry, Counter, Histogram

from veche_shared.metrics import RpcMetrics

PUBLISH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class VotingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.rpc = RpcMetrics(registry, "voting")
        self.accepted = Counter(
            "veche_votes_accepted", "Ballots written to the ledger", ["identity_mode"], registry=registry
        )
        self.refused = Counter(
            "veche_votes_refused", "Casts refused, by machine-readable reason", ["reason"], registry=registry
        )
        self.retries = Counter(
            "veche_votes_idempotent_retries",
            "Casts answered with the ballot of the same Idempotency-Key",
            registry=registry,
        )
        self.annulled = Counter("veche_votes_annulled", "Ballots annulled by operators", registry=registry)
        self.publish_seconds = Histogram(
            "veche_ledger_publish_seconds",
            "Time from publishing a ballot to the JetStream acknowledgement (or refusal)",
            buckets=PUBLISH_BUCKETS,
            registry=registry,
        )
