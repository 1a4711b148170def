"""Content texts as language -> text maps: tags, the fallback order, input as plain strings, and data written
before texts were maps (version 1 events)."""

import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from veche_dev.csv_import import parse
from veche_shared.contracts.catalog import CatalogEvent, Practice
from veche_shared.contracts.submissions import SubmitPractice
from veche_shared.contracts.texts import Localized, in_language, pick

TEXTS = {"ru": "Пермь", "en": "Perm", "sr-Latn": "Perm (sr)"}
# the same cases run against the pages' pick (web/shared/i18n.js) in tests/js/i18n.test.js
PICK_CASES = json.loads((Path(__file__).parents[1] / "data" / "text_pick_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("languages", "expected"),
    [(("en",), "Perm"), (("en-GB",), "Perm"), (("de", "ru"), "Пермь"), (("de",), "Пермь"), (("sr-Latn",), "Perm (sr)")],
)
def test_pick_follows_the_fallback_order(languages: tuple[str, ...], expected: str) -> None:
    assert pick(TEXTS, *languages) == expected


@pytest.mark.parametrize("case", PICK_CASES, ids=[case["why"] for case in PICK_CASES])
def test_pick_agrees_with_the_pages(case: dict[str, object]) -> None:
    texts, languages = case["texts"], case["languages"]
    assert isinstance(texts, dict)
    assert isinstance(languages, list)
    assert pick(texts, *languages) == case["expected"]


@pytest.mark.parametrize("tag", ["EN", "en_GB", "english", "en-gb", "", "e"])
def test_a_tag_not_in_canonical_bcp47_form_is_refused(tag: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Localized).validate_python({tag: "x"})


def test_a_plain_string_of_a_command_is_in_the_contests_default_language() -> None:
    cmd = SubmitPractice(contest="c", nomination="n", municipality="m", title="Парк", summary={"en": "A park"})
    assert in_language(cmd.model_dump(), "ru")["title"] == {"ru": "Парк"}
    assert in_language(cmd.model_dump(), "ru")["summary"] == {"en": "A park"}
    with pytest.raises(ValidationError):
        SubmitPractice(contest="c", nomination="n", municipality="m", title={})


def test_version_1_events_are_read_as_maps() -> None:
    old = {
        "type": "PracticeApproved", "event_id": "e1", "schema_version": 1, "occurred_at": "2026-01-01T00:00:00Z",
        "practice": {"id": "p", "contest": "c", "nomination": "n", "municipality": "m", "title": "Park",
                     "summary": "", "description": "Long", "status": "approved"},
    }  # fmt: skip
    event = TypeAdapter(CatalogEvent).validate_python(old)
    assert isinstance(event.practice, Practice)  # type: ignore[union-attr]
    assert (event.practice.title, event.practice.summary) == ({"und": "Park"}, {})  # type: ignore[union-attr]
    contest = {"id": "c", "title": {"ru": "", "en": "Forum"}, "description": {"ru": "", "en": ""}}
    old_contest = {"type": "ContestCreated", "event_id": "e2", "schema_version": 1, "contest": contest}
    read = TypeAdapter(CatalogEvent).validate_python(old_contest)
    assert read.contest.title == {"en": "Forum"}  # type: ignore[union-attr]
    assert read.contest.default_language == "ru"  # type: ignore[union-attr]


def test_csv_texts_in_any_language(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "id,country,name_ru,name_sr-Latn,region_en,lat,lon\nnis,RS,Ниш,Niš,Nišava,43.3,21.9\n", encoding="utf-8"
    )
    [row] = parse(path)
    assert (row.command.name, row.command.region) == ({"ru": "Ниш", "sr-Latn": "Niš"}, {"en": "Nišava"})


def test_an_optional_text_may_be_an_empty_string() -> None:
    cmd = SubmitPractice(contest="c", nomination="n", municipality="m", title="Парк", summary="", description=" ")
    assert in_language(cmd.model_dump(), "ru")["summary"] == {}
    assert in_language(cmd.model_dump(), "ru")["description"] == {}
