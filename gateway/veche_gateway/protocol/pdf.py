"""The protocol printed to PDF by WeasyPrint (Pango lays out the text: Debian's libpango, see docs/deploy.md).

WeasyPrint is imported on first use (it takes a second to load) and a rendering runs in a worker thread, so the
gateway's event loop never waits for it. A certified protocol never changes: it is printed once per language.
"""

import logging
from functools import lru_cache
from pathlib import Path

from anyio import to_thread

from veche_gateway.protocol.model import Protocol
from veche_gateway.protocol.render import protocol_html

CSS_FILE = Path(__file__).resolve().parents[1] / "web" / "protocol.css"


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # heavy: loaded only when a protocol is printed

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # seven INFO lines a document otherwise
    return bytes(HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(CSS_FILE))]))


@lru_cache(maxsize=32)
def _certified(html: str) -> bytes:
    return render_pdf(html)


async def protocol_pdf(protocol: Protocol, language: str) -> bytes:
    """The PDF of the protocol in `language` (a certified one from the cache after its first printing)."""
    html = protocol_html(protocol, language, stylesheet=None)
    if protocol.certificate is None:
        return await to_thread.run_sync(render_pdf, html)
    return await to_thread.run_sync(_certified, html)
