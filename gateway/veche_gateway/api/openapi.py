"""The OpenAPI document as the gateway really answers (every refusal a Problem in application/problem+json), and
Swagger UI at /docs served from the gateway's own static files."""

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse

from veche_gateway.errors import PROBLEM_JSON, Problem
from veche_gateway.pages import WEB

Responses = dict[int | str, dict[str, Any]]
PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer", "minimum": 1}}}
EVERY_API_ROUTE = {429, 500, 503, 504}  # rate limits, a fault of ours, a service down or too slow
GONE_FROM_DOCUMENT = ("HTTPValidationError", "ValidationError")  # FastAPI's 422 body, which we never send


def refusals(*statuses: int) -> Responses:
    """`responses=` for the refusals a route sends besides the ones `statuses_of` adds to every route."""
    return {status: {"description": HTTPStatus(status).phrase} for status in statuses}


def statuses_of(path: str, operation: dict[str, Any]) -> set[int]:
    """The refusals an operation can receive: declared by its route, and those the middlewares send."""
    found = {int(s) for s in operation["responses"] if s.isdigit() and int(s) >= 400}
    if path.startswith("/api/"):
        found |= EVERY_API_ROUTE
    if operation.get("parameters") or "requestBody" in operation:
        found.add(422)
    if "requestBody" in operation:
        found |= {400, 413}  # 400: a body that is not text (FastAPI cannot decode it); 413: over the limit
    if path.startswith("/api/v1/admin"):
        found |= {401, 403}
    if path == "/api/v1/municipality" or path.startswith("/api/v1/municipality/"):  # not /municipalities
        found.add(401)
    return found


def problem_response(status: int, described: dict[str, Any] | None) -> dict[str, Any]:
    description = (described or {}).get("description") or HTTPStatus(status).phrase
    response: dict[str, Any] = {"description": description, "content": PROBLEM}
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def not_nullable(parameter: dict[str, Any]) -> None:
    """A query or header parameter is a string or absent, never null: FastAPI's `X | None` says left out."""
    schema = parameter["schema"]
    kept = [branch for branch in schema.get("anyOf", []) if branch != {"type": "null"}]
    if len(kept) == 1 and len(schema["anyOf"]) == 2:
        del schema["anyOf"]
        schema.update(kept[0])


def document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document with the Problem schema on every refusal of every operation."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in GONE_FROM_DOCUMENT:
        components.pop(name, None)
    components["Problem"] = Problem.model_json_schema(mode="serialization")
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                not_nullable(parameter)
            responses = operation["responses"]
            for status in statuses_of(path, operation):
                responses[str(status)] = problem_response(status, responses.get(str(status)))
    app.openapi_schema = schema
    return schema


def install(app: FastAPI) -> None:
    """The document at /openapi.json and Swagger UI at /docs (the app is built with FastAPI's CDN pages off)."""
    app.openapi = lambda: document(app)  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> FileResponse:
        return FileResponse(WEB / "docs.html", headers={"Cache-Control": "no-cache"})
