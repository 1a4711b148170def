"""Typed request-reply over core NATS: operations come from the catalogue in veche_shared.operations."""

from veche_shared.rpc.client import REQUEST_ID_HEADER, call, unwrap
from veche_shared.rpc.operation import Operation, Rep, Req
from veche_shared.rpc.server import answer, serve, serve_concurrent

__all__ = ["REQUEST_ID_HEADER", "Operation", "Rep", "Req", "answer", "call", "serve", "serve_concurrent", "unwrap"]
