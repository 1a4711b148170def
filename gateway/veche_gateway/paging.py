"""Cursor pages over HTTP: the next page's cursor is in the body (`next_cursor`) and in a Link header (RFC 8288),
for clients that follow links."""

from urllib.parse import urlencode

from fastapi import Request, Response


def link_next(request: Request, response: Response, next_cursor: str | None) -> None:
    """Link: <same path and query, cursor replaced>; rel="next" when there is a next page."""
    if next_cursor is None:
        return
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"] + [("cursor", next_cursor)]
    response.headers["Link"] = f'<{request.url.path}?{urlencode(query)}>; rel="next"'
