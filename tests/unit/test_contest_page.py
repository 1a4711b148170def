"""The contest page's first screen, rendered by the gateway before its script takes over: the script's own words
in the same places and in its labels, nothing in a title that can leave its attribute or its JSON block."""

import json
import re
from pathlib import Path

import pytest

from veche_gateway import contest_page
from veche_gateway.script_words import public_words, script_words, translated
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Phase, Practice, PracticeStatus

WEB = Path(contest_page.__file__).parent / "web"
SCRIPT_WORDS = {"vote": "vote", "vote_for": "voteFor", "choose": "choose", "choose_for": "chooseFor",
                **{phase.value: f"phase_{phase.value}" for phase in Phase}}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_server_says_what_the_script_says_in_the_same_places(lang: str) -> None:
    words = public_words(WEB)[lang]
    assert {key: words.get(script) for key, script in SCRIPT_WORDS.items()} == contest_page.TEXTS[lang]


def test_the_pages_labels_are_in_its_language_before_the_script_runs() -> None:
    shell = (WEB / "index.html").read_text()
    labels = set(re.findall(r'data-t="(\w+)"', shell))
    words = public_words(WEB)
    assert labels - set(words["ru"]) == set(), "a label the scripts have no Russian word for"
    russian = translated(shell, words["ru"])
    assert '<h2 id="practices-heading" data-t="practices">Практики</h2>' in russian
    assert '<summary data-t="mapList">Все места на карте</summary>' in russian
    assert translated('<b data-t="x">A &amp; B</b><i data-t="y">y</i>', {"y": "<&>"}) == (
        '<b data-t="x">A &amp; B</b><i data-t="y">&lt;&amp;&gt;</i>'
    )


def test_a_word_list_is_read_as_the_script_adds_it() -> None:
    source = """addTexts({
  en: {
    one: "One \\"quoted\\"", joined: "a " +
      "b", forms: { one: "{n} vote", other: "{n} votes" }, last: "Last"
  },
  ru: {
    one: "Один"
  }
});"""
    words = script_words(source)
    assert words["ru"] == {"one": "Один"}
    assert words["en"]["one"] == 'One "quoted"'
    assert words["en"]["last"] == "Last"
    assert "joined" not in words["en"]  # a text made of parts is the script's alone


def test_the_data_block_cannot_close_its_element_and_reads_back_the_same() -> None:
    data = {"title": '</script><script>alert("x")</script> & <!--'}
    block = contest_page.json_block(data)
    assert "<" not in block
    assert ">" not in block
    assert "&" not in block
    assert json.loads(block) == data


def test_a_card_escapes_what_a_municipality_wrote_and_waits_for_the_script() -> None:
    contest = Contest(id="c", title={"en": "C"}, phase=Phase.voting_open)
    nomination = Nomination(id="n", contest="c", title={"en": "N"})
    practice = Practice(id="p", contest="c", nomination="n", municipality="m", status=PracticeStatus.approved,
                        title={"en": '"Trees" <b>'}, summary={"en": "a & b"})  # fmt: skip
    town = Municipality(id="m", name={"en": "Perm"}, country="RU", lat=58.0, lon=56.2)
    html = contest_page.card("en", contest, nomination, practice, town)
    assert 'data-title="&quot;Trees&quot; &lt;b&gt;"' in html
    assert '<a href="/en/contests/c/nominations/n/practices/p">&quot;Trees&quot; &lt;b&gt;</a>' in html
    assert '<p class="card-summary">a &amp; b</p>' in html
    assert 'aria-label="Vote for “&quot;Trees&quot; &lt;b&gt;” (Perm)">Vote</button>' in html
    assert '<button type="button" class="vote" disabled' in html
