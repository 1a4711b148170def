"""What a browser is sent by the gateway itself: pages that name fingerprinted files, files cached for a year and
sent precompressed, a favicon, the /embed snippet page, gzip on big API answers with Vary kept beside CORS's."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.gateway_helpers import in_process_gateway
from veche_gateway.settings import GatewaySettings


@pytest.fixture
async def client(infra: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process_gateway(GatewaySettings(nats_url=infra["nats_url"])) as gw:
        yield gw.client


async def test_the_page_names_versioned_files_cached_for_a_year_and_sent_compressed(client: httpx.AsyncClient) -> None:
    # a contest page is rendered per view (veche_gateway.contest_page; here no catalogue answers: its bare shell),
    # so it is gzipped by the middleware; a fixed page is sent precompressed with brotli
    page = await client.get("/en/contests/any", headers={"Accept-Encoding": "br, gzip"})
    assert (page.headers["cache-control"], page.headers["content-encoding"]) == ("no-cache", "gzip")
    assert "/static/" not in page.text
    scripts = re.findall(r'(?:src|href)="(/assets/[0-9a-f]{16}/[^"]+\.js)"', page.text)
    assert scripts, page.text
    assert (await client.get("/en/contests/any", headers={"If-None-Match": page.headers["etag"]})).status_code == 304
    fixed = await client.get("/embed", headers={"Accept-Encoding": "br, gzip"})
    assert (fixed.headers["cache-control"], fixed.headers["content-encoding"]) == ("no-cache", "br")
    for url in scripts:
        answer = await client.get(url, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, url
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
        if int(answer.headers["content-length"]) >= 256:
            assert answer.headers["content-encoding"] == "gzip", url
        assert "Accept-Encoding" in answer.headers["vary"]
    other_release = re.sub(r"/assets/[0-9a-f]{16}/", "/assets/0123456789abcdef/", scripts[0])
    assert (await client.get(other_release)).headers["cache-control"] == "no-cache"
    assert (await client.get(scripts[0].replace(".js", ".nope"))).status_code == 404


async def test_a_module_script_asked_for_with_an_origin_varies_on_both(client: httpx.AsyncClient) -> None:
    page = await client.get("/embed")
    [script] = re.findall(r'src="(/assets/[0-9a-f]{16}/embed-snippet/main\.js)"', page.text)
    answer = await client.get(script, headers={"Origin": "http://gw", "Accept-Encoding": "gzip"})
    assert {v.strip() for v in answer.headers["vary"].split(",")} == {"Accept-Encoding", "Origin"}
    assert 'from "../shared/embed_snippet.js"' in (await client.get(script)).text  # the snippet page's own module


async def test_favicon_static_addresses_and_the_stable_nomination_address(client: httpx.AsyncClient) -> None:
    icon = await client.get("/favicon.ico")
    assert (icon.status_code, icon.headers["content-type"]) == (200, "image/x-icon")
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    embed = await client.get("/static/embed.css")
    assert (embed.status_code, embed.headers["cache-control"]) == (200, "public, max-age=300")
    assert (await client.get("/xx/contests/forum")).status_code == 422


async def test_a_contest_reads_at_its_address_in_its_language_and_old_links_move_there(
    client: httpx.AsyncClient,
) -> None:
    russian = await client.get("/ru/contests/forum/nominations/diplomacy")
    assert (russian.status_code, russian.headers["cache-control"]) == (200, "no-cache")
    assert '<html lang="ru">' in russian.text
    assert '<html lang="en">' in (await client.get("/en/contests/forum")).text
    assert russian.headers["etag"] != (await client.get("/en/contests/forum")).headers["etag"]
    moves = {
        "/?contest=forum&nomination=diplomacy&lang=ru": "/ru/contests/forum/nominations/diplomacy",
        "/?contest=forum&lang=en&practice=p1": "/en/contests/forum?practice=p1",
        "/?contest=forum&nomination=bad%20id&practice=<x>": "/en/contests/forum",
        "/?contest=bad%20id": "/en/",
    }
    for old, new in moves.items():
        moved = await client.get(old)
        assert (moved.status_code, moved.headers["location"]) == (302 if new == "/en/" else 301, new), old
    by_browser = await client.get("/?contest=forum", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert by_browser.headers["location"] == "/ru/contests/forum"


async def test_big_api_answers_are_gzipped_small_ones_are_not(client: httpx.AsyncClient) -> None:
    document = await client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert document.headers["content-encoding"] == "gzip"
    assert int(document.headers["content-length"]) * 4 < len(document.content)
    small = await client.get("/api/v1/no-such", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
