"""Descriptions become HTML with their paragraphs, lists and links, and nothing a municipality could inject."""

import pytest

from veche_gateway.richtext import to_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("one\ntwo\n\nthree", "<p>one<br>\ntwo</p>\n<p>three</p>\n"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
        ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n"),
        ("see https://a.example", '<p>see <a href="https://a.example" rel="nofollow ugc noopener">https://a.example</a></p>\n'),
        ("[mail](mailto:x@a.example)", '<p><a href="mailto:x@a.example" rel="nofollow ugc noopener">mail</a></p>\n'),
        ("# not a heading", "<p># not a heading</p>\n"),
    ],
)  # fmt: skip
def test_the_shapes_a_description_keeps(text: str, html: str) -> None:
    assert to_html(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "![x](https://x.example/i.png)",
        "<iframe src=https://x.example></iframe>",
        '[x](https://x.example "a\\" onmouseover=\\"alert(1)")',
    ],
)
def test_nothing_active_gets_through(text: str) -> None:
    html = to_html(text)
    for tag in ("<script", '<a href="javascript', '<a href="data', "<img", "<iframe", 'onclick="', 'onmouseover="'):
        assert tag not in html, html
