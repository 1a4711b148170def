"""gzip for the gateway's dynamic answers (API JSON, problem documents, the OpenAPI document), by Starlette's
GZipMiddleware, which adds `Vary: Accept-Encoding` and never compresses an event stream (text/event-stream is
excluded, so SSE frames are never buffered).

Left out on purpose, not even looked at: the fast lane's routes (a leaderboard, whose body the lane compresses once
per snapshot; its event stream, which holds no compressor object for its life; a vote, whose answer is too small to
gain), and the transparency log's tiles (SHA-256 hashes do not compress). Anything already encoded (the pages'
files, veche_gateway.assets) GZipMiddleware passes through as it is.
"""

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from veche_gateway.middleware.fastlane import READS, board_path

LANE = READS | {"votes"}
LEVEL = 6  # zlib's default: within 2-3% of level 9's size on our JSON for about half the CPU


class Compression:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=500, compresslevel=LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = board_path(scope["path"]) if scope["type"] == "http" else None
        tile = scope["type"] == "http" and "/log/tile/" in scope["path"]  # hashes: nothing for gzip to gain
        if scope["type"] != "http" or tile or (target is not None and target[2] in LANE):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)
