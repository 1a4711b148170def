"""A practice's description as safe HTML: paragraphs, line breaks, lists, emphasis and links, nothing else.

Municipalities write plain text with a little Markdown (blank lines, "- " lists, *emphasis*, [text](url)); bare
addresses become links. Raw HTML is never passed on: markdown-it's `html` option is off, so every `<` is
escaped, and only the rules below are enabled (no headings, images, tables or code blocks). A link must be http,
https or mailto; it is marked `rel="nofollow ugc noopener"` (user content, no ranking credit, no window.opener).
"""

from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

BLOCK = ["paragraph", "list"]
INLINE = ["emphasis", "link", "autolink", "newline", "escape", "entity", "linkify"]
SCHEMES = ("http://", "https://", "mailto:")
REL = "nofollow ugc noopener"


def allowed_link(url: str) -> bool:
    return url.strip().lower().startswith(SCHEMES)


def link_open(renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    tokens[idx].attrSet("rel", REL)
    return renderer.renderToken(tokens, idx, options, env)


@cache
def markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True, "typographer": False})
    md.enable(BLOCK + INLINE)
    md.validateLink = allowed_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", link_open)
    return md


def to_html(text: str) -> str:
    """The description as HTML that is safe to put inside an element of the page."""
    return str(markdown().render(text))
