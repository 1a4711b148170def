"""Typed request-reply over core NATS: operations come from the catalogue in veche_shared.operations."""

from veche_shared.rpc.client import REQUEST_ID_HEADER, call, unwrap
from veche_shared.rpc.operation import Operation, Rep, Req
from veche_shared.rpc.server import Route, answer, route, serve, serve_concurrent, serve_routes

__all__ = [
    "REQUEST_ID_HEADER",
    "Operation",
    "Rep",
    "Req",
    "Route",
    "answer",
    "call",
    "route",
    "serve",
    "serve_concurrent",
    "serve_routes",
    "unwrap",
]
