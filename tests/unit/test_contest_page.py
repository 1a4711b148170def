"""The contest page's first screen, rendered by the gateway before its script takes over: the script's own words
in the same places, nothing in a title that can leave its attribute or its JSON block."""

import json
import re
from pathlib import Path

import pytest

from veche_gateway import contest_page
from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Phase, Practice, PracticeStatus

WEB = Path(contest_page.__file__).parent / "web"
SCRIPT_WORDS = {"vote": "vote", "vote_for": "voteFor", "choose": "choose", "choose_for": "chooseFor",
                **{phase.value: f"phase_{phase.value}" for phase in Phase}}  # fmt: skip


def script_words(lang: str) -> dict[str, str]:
    """Each `key: "text"` of the public scripts' word lists in one language (their en / ru blocks)."""
    found: dict[str, str] = {}
    for name in ("public/vote.js", "public/ballot.js", "public/texts.js"):
        source = (WEB / name).read_text()
        block = re.search(rf"\n  {lang}: \{{\n(.*?)\n  \}}", source, re.S)
        assert block, f"{name} has no {lang} words"
        found |= dict(re.findall(r'(\w+): "((?:[^"\\]|\\.)*)"', block.group(1)))
    return found


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_server_says_what_the_script_says_in_the_same_places(lang: str) -> None:
    words = script_words(lang)
    assert {key: words.get(script) for key, script in SCRIPT_WORDS.items()} == contest_page.TEXTS[lang]


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
