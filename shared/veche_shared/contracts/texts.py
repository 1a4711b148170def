"""Content texts in any language: a map from a BCP 47 language tag to the text, and how a reader picks one.

Every content field (titles, names, regions, practice texts) is such a map, e.g. `{"ru": "Пермь", "en": "Perm"}`.
Readers pick a text by the fallback order: the requested language (exact tag, then its base language: `en-GB`
-> `en`), then the contest's default language, then any text of the map (its first). The page's
`web/shared/i18n.js` (`pick`) follows the same order; tests/data/text_pick_cases.json holds the cases both run.

API input may give a plain string instead of a map: it is the text in the contest's default language (for a
municipality, which belongs to no contest, in DEFAULT_LANGUAGE). Stored data and events written before texts
were maps are read as well: a plain string as language `und` (BCP 47 "undetermined"), and empty texts of the
old `{ru, en}` pairs are dropped.
"""

from collections.abc import Mapping
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints
from pydantic.config import JsonDict

# well-formed BCP 47 in canonical case (language, optional script, region and up to two variants); extensions and
# private use are not needed for content. Canonical case keeps one key per language: "en-GB", never "en-gb".
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3})){0,2}$"
LanguageTag = Annotated[
    str,
    StringConstraints(pattern=LANGUAGE_TAG, max_length=35),
    Field(examples=["ru", "en", "en-GB", "sr-Latn"], description="BCP 47 language tag in canonical case"),
]
DEFAULT_LANGUAGE = "ru"
UNDETERMINED = "und"
MAX_LANGUAGES = 20
_MAP_SCHEMA: JsonDict = {"additionalProperties": False, "examples": [{"ru": "Пермь", "en": "Perm"}]}

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text1000 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]
Text2000 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
Text10000 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


def _stored(value: object) -> object:
    """Data written before texts were maps: a plain string is of undetermined language; empty texts are gone."""
    if isinstance(value, str):
        return {UNDETERMINED: value} if value.strip() else {}
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if not (isinstance(v, str) and not v.strip())}
    return value


def _map(required: bool) -> object:
    return Field(min_length=1 if required else 0, max_length=MAX_LANGUAGES, json_schema_extra=_MAP_SCHEMA)


# As entities and events carry them (and as every answer shows them): always a map.
Localized = Annotated[dict[LanguageTag, Text2000], _map(True), BeforeValidator(_stored)]
OptionalTexts = Annotated[dict[LanguageTag, Text2000], _map(False), BeforeValidator(_stored)]
PracticeTitle = Annotated[dict[LanguageTag, Text200], _map(True), BeforeValidator(_stored)]
PracticeSummary = Annotated[dict[LanguageTag, Text1000], _map(False), BeforeValidator(_stored)]
PracticeDescription = Annotated[dict[LanguageTag, Text10000], _map(False), BeforeValidator(_stored)]

# As commands take them: a map, or a plain string in the contest's default language (see in_language); an
# optional text may also be "" (no text, as before texts were maps).
LocalizedInput = Annotated[dict[LanguageTag, Text2000], _map(True)] | Text2000
OptionalTextsInput = Annotated[dict[LanguageTag, Text2000], _map(False)] | Annotated[str, Field(max_length=2_000)]
PracticeTitleInput = Annotated[dict[LanguageTag, Text200], _map(True)] | Text200
PracticeSummaryInput = Annotated[dict[LanguageTag, Text1000], _map(False)] | Annotated[str, Field(max_length=1_000)]
PracticeDescriptionInput = (
    Annotated[dict[LanguageTag, Text10000], _map(False)] | Annotated[str, Field(max_length=10_000)]
)
TEXT_FIELDS = frozenset({"title", "description", "summary", "name", "region"})


def as_map(value: Mapping[str, str] | str, language: str) -> dict[str, str]:
    """A command's text as a map: a plain string is the text in `language` (the contest's default)."""
    return {language: value} if isinstance(value, str) else dict(value)


def in_language(fields: Mapping[str, object], language: str) -> dict[str, object]:
    """Fields of a command with every plain-string text (TEXT_FIELDS) turned into a map keyed by `language`
    (a blank one into no text)."""
    return {
        k: ({language: v.strip()} if v.strip() else {}) if k in TEXT_FIELDS and isinstance(v, str) else v
        for k, v in fields.items()
    }


def pick(texts: Mapping[str, str], *languages: str) -> str:
    """The text by the fallback order: each language asked for (exact tag, then its base language), then any."""
    for language in languages:
        for tag in (language, language.split("-")[0]):
            if texts.get(tag):
                return texts[tag]
    return next((text for text in texts.values() if text), "")
