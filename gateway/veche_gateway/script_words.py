"""The words the public scripts say, read from their word lists (the `addTexts({ en: {...}, ru: {...} })` blocks of
web/public/*.js) when the gateway starts, so that a page it renders says what the script would before the script
runs. An entry is `key: "text"` on its own; a text joined from parts or a set of plural forms is the script's."""

import json
import re
from html import escape
from pathlib import Path

BLOCK = re.compile(r"\n  (en|ru): \{\n(.*?)\n  \}", re.S)
ENTRY = re.compile(r'(\w+): ("(?:[^"\\]|\\.)*")(?!\s*\+)')
FORMS = re.compile(r"\w+: \{\s(?:[^{}]|\{\w+\})*\}")  # plural forms, { one: "{n} vote", ... }: the script's
LABEL = re.compile(r'(data-t="(\w+)"[^>]*>)([^<]*)<')


def script_words(source: str) -> dict[str, dict[str, str]]:
    """The one-line words of a module's en and ru blocks."""
    words: dict[str, dict[str, str]] = {"en": {}, "ru": {}}
    for lang, block in BLOCK.findall(source):
        words[lang] |= {key: json.loads(text) for key, text in ENTRY.findall(FORMS.sub("", block))}
    return words


def public_words(web: Path) -> dict[str, dict[str, str]]:
    """Every public module's words (a key said by two modules: the later file's, as the script would add them)."""
    words: dict[str, dict[str, str]] = {"en": {}, "ru": {}}
    for path in sorted((web / "public").glob("*.js")):
        for lang, more in script_words(path.read_text()).items():
            words[lang] |= more
    return words


def translated(page: str, words: dict[str, str]) -> str:
    """Each element marked data-t="key" with the word for key (the page's own text where there is none)."""

    def label(found: re.Match[str]) -> str:
        key = found.group(2)
        return found.group(1) + (escape(words[key], quote=False) if key in words else found.group(3)) + "<"

    return LABEL.sub(label, page)
