"""Prometheus metrics of the gateway; the SSE, rate-limit and cache code records into these."""

from prometheus_client import CollectorRegistry, Counter, Gauge


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.upstream_failures = Counter(
            "veche_gateway_upstream_failures_total",
            "RPC calls to a service that failed without an answer, by service and kind (timeout | unavailable)",
            ["service", "kind"],
            registry=registry,
        )
        self.sse_clients = Gauge(
            "veche_gateway_sse_clients", "Server-Sent Events connections open now", registry=registry
        )
        self.rate_limited = Counter(
            "veche_gateway_rate_limited_total",
            "Requests refused with 429, by limit (a fixed name per limit, never a key)",
            ["limit"],
            registry=registry,
        )
        self.audit_failures = Counter(
            "veche_gateway_audit_failures_total",
            "Operator actions whose audit entry could not be written to stream AUDIT (see the gateway's log)",
            registry=registry,
        )
        self.operator_auth_failures = Counter(
            "veche_gateway_operator_auth_failures_total",
            "Operator routes refused for a missing or unknown X-API-Key, by reason (missing | unknown)",
            ["reason"],
            registry=registry,
        )
        self.invitation_auth_failures = Counter(
            "veche_gateway_invitation_auth_failures_total",
            "Municipality routes refused for their key, by code (unauthenticated | unknown_key | invitation_expired |"
            " invitation_revoked)",
            ["code"],
            registry=registry,
        )
        self.cache_hits = Counter(
            "veche_gateway_cache_hits_total",
            "Leaderboard reads by outcome: hit (from memory), not_modified (304 from memory), miss (fetched by RPC)",
            ["outcome"],
            registry=registry,
        )
