"""RED metrics (rate, errors, duration) for HTTP routes and RPC handlers, with bounded labels only."""

import time

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "unmatched"  # one label for every path no route knows: scanners must not grow the series


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "veche_http_requests_total",
            "HTTP requests answered, by method, route template and status class",
            ["method", "route", "status"],
            registry=registry,
        )
        self.seconds = Histogram(
            "veche_http_request_seconds",
            "HTTP request latency until the response starts, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )


def route_template(scope: Scope) -> str:
    """The template of the route that handled the request; the router records it in the scope."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class HttpMetricsMiddleware:
    """Pure ASGI middleware, so streaming responses (SSE) are timed to their first byte, not their end."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in _METHODS else "OTHER"
        started = time.perf_counter()
        status = 500

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                self.metrics.seconds.labels(method, route_template(scope)).observe(time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            self.metrics.requests.labels(method, route_template(scope), status_class(status)).inc()


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def instrument_http(app: FastAPI, registry: CollectorRegistry) -> HttpMetrics:
    """Count and time every HTTP request of app by its route template (never the raw path)."""
    metrics = HttpMetrics(registry)
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)
    return metrics


class RpcMetrics:
    def __init__(self, registry: CollectorRegistry, service: str) -> None:
        self.service = service
        self.requests = Counter(
            "veche_rpc_requests_total", "RPC requests handled, by operation", ["operation"], registry=registry
        )
        self.errors = Counter(
            "veche_rpc_errors_total",
            "RPC requests answered with an error, by operation and error code",
            ["operation", "code"],
            registry=registry,
        )
        self.seconds = Histogram(
            "veche_rpc_handler_seconds",
            "RPC handler latency, by operation",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )

    def observe(self, operation: str, seconds: float, error_code: str | None) -> None:
        self.requests.labels(operation).inc()
        self.seconds.labels(operation).observe(seconds)
        if error_code is not None:
            self.errors.labels(operation, error_code).inc()
