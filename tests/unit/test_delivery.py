"""How the gateway sends its bytes: fingerprinted, precompressed page files; gzip of dynamic answers that leaves
event streams alone; a leaderboard compressed once per snapshot; Vary headers that keep every name they are given."""

import asyncio
import gzip
from datetime import UTC, datetime
from pathlib import Path

import brotli
import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from veche_gateway.asgi import set_headers
from veche_gateway.assets import IMMUTABLE, AssetResponse, Assets, accepted_encoding
from veche_gateway.live.boards import Snapshot
from veche_gateway.middleware.compression import Compression
from veche_gateway.middleware.fastlane import CachedBoard
from veche_shared.contracts.results import Leaderboard, LeaderboardEntry

SCRIPT = b"import { x } from './shared/x.js';\nconst geo = '/static/vendor/geo/';\n" + b"// padding\n" * 40


def tree(root: Path, script: bytes = SCRIPT) -> Path:
    (root / "shared").mkdir(parents=True, exist_ok=True)
    (root / "app.js").write_bytes(script)
    (root / "shared" / "x.js").write_bytes(b"export const x = 1;\n")
    (root / "index.html").write_bytes(b'<script type="module" src="/static/app.js"></script>')
    return root


def test_the_version_names_the_whole_tree_and_pages_point_at_it(tmp_path: Path) -> None:
    assets = Assets(tree(tmp_path / "a"))
    assert Assets(tree(tmp_path / "b")).version == assets.version
    changed = Assets(tree(tmp_path / "c", SCRIPT + b"//"))
    assert changed.version != assets.version
    page = assets.files["index.html"].body
    assert page == f'<script type="module" src="/assets/{assets.version}/app.js"></script>'.encode()
    assert f"'/assets/{assets.version}/vendor/geo/'".encode() in assets.files["app.js"].body
    assert b"'./shared/x.js'" in assets.files["app.js"].body  # relative imports stay inside the version


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None), (None, None)],
)
def test_brotli_first_then_gzip_and_q0_refuses(accept: str | None, chosen: str | None) -> None:
    assert accepted_encoding(accept) == chosen


async def sent(response: AssetResponse, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    messages: list[Message] = []

    async def send(message: Message) -> None:
        messages.append(message)

    scope = {"type": "http", "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    await response(scope, None, send)  # type: ignore[arg-type]
    start = {k.decode(): v.decode() for k, v in messages[0]["headers"]}
    return start | {":status": str(messages[0]["status"])}, messages[1]["body"]


async def test_an_asset_is_sent_in_the_encoding_asked_for_and_revalidates_to_304(tmp_path: Path) -> None:
    asset = Assets(tree(tmp_path)).files["app.js"]
    head, body = await sent(AssetResponse(asset, IMMUTABLE), {"Accept-Encoding": "gzip, br"})
    assert (head["content-encoding"], head["vary"], head["cache-control"]) == ("br", "Accept-Encoding", IMMUTABLE)
    assert brotli.decompress(body) == asset.body
    assert int(head["content-length"]) == len(body) < len(asset.body)
    head, body = await sent(AssetResponse(asset, IMMUTABLE), {"Accept-Encoding": "gzip"})
    assert gzip.decompress(body) == asset.body
    head, body = await sent(AssetResponse(asset, IMMUTABLE), {})
    assert "content-encoding" not in head
    assert body == asset.body
    head, body = await sent(AssetResponse(asset, IMMUTABLE), {"If-None-Match": head["etag"]})
    assert (head[":status"], body) == ("304", b"")


def test_vary_keeps_the_names_already_there() -> None:
    message: Message = {"type": "http.response.start", "headers": [(b"vary", b"Accept-Encoding")]}
    set_headers(message, {"Vary": "Origin", "X-Frame-Options": "DENY"})
    assert dict(message["headers"])[b"vary"] == b"Accept-Encoding, Origin"
    set_headers(message, {"Vary": "Origin"})
    assert dict(message["headers"])[b"vary"] == b"Accept-Encoding, Origin"


def streaming_app(media_type: str, chunks: list[bytes], seen: list[bytes]) -> "object":
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", media_type.encode())]})
        for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await asyncio.sleep(0)
            seen.append(chunk)
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


async def test_json_is_gzipped_and_an_event_stream_goes_out_frame_by_frame() -> None:
    big = b'{"items": [' + b'{"id": "practice", "votes": 1},' * 100 + b"{}]}"

    async def json_app(scope: Scope, receive: Receive, send: Send) -> None:
        start = [(b"content-type", b"application/json"), (b"content-length", str(len(big)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": start})
        await send({"type": "http.response.body", "body": big})

    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=Compression(json_app)), base_url="http://gw")
    answer = await client.get("/api/v1/contests", headers={"Accept-Encoding": "gzip"})
    assert (answer.headers["content-encoding"], answer.headers["vary"]) == ("gzip", "Accept-Encoding")
    assert answer.content == big
    assert int(answer.headers["content-length"]) < len(big) / 5

    frames = [b"id: 1\nevent: leaderboard\ndata: {}\n\n" * 30, b": heartbeat\n\n"]
    seen: list[bytes] = []
    wire: list[Message] = []

    async def send(message: Message) -> None:
        wire.append(message)
        if message["type"] == "http.response.body" and message["body"]:
            assert len(seen) == len(wire) - 2, "each frame leaves before the next is made"

    scope = {"type": "http", "method": "GET", "path": "/api/v1/x", "headers": [(b"accept-encoding", b"gzip")]}
    await Compression(streaming_app("text/event-stream", frames, seen))(scope, None, send)  # type: ignore[arg-type]
    assert [m["body"] for m in wire[1:3]] == frames
    assert b"content-encoding" not in dict(wire[0]["headers"])


def test_a_big_board_is_gzipped_once_per_snapshot_and_a_small_one_is_not() -> None:
    def snapshot(entries: int) -> Snapshot:
        rows = [
            LeaderboardEntry(
                practice=f"p{i}",
                title=f"Practice {i}",
                municipality=f"m{i}",
                municipality_name={"en": f"City {i}"},
                votes=i,
                share=0.01,
                rank=i + 1,
            )
            for i in range(entries)
        ]
        board = Leaderboard(
            contest="c", nomination="n", visible=True, total_votes=entries, entries=rows, version=3,
            updated_at=datetime.now(UTC),
        )  # fmt: skip
        return Snapshot.of(board)

    big = CachedBoard(snapshot(30), b"public, max-age=1")
    assert big.gzipped is not None
    assert gzip.decompress(big.gzipped) == big.snapshot.body
    assert len(big.gzipped) < len(big.snapshot.body) / 3
    assert (b"content-encoding", b"gzip") in big.ok_gzipped
    assert (b"vary", b"Accept-Encoding") in big.ok
    assert CachedBoard(snapshot(1), b"public, max-age=1").gzipped is None
