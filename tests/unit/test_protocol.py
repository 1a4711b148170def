"""The results protocol from a certificate and the standings: places with ties, shares, annulments explained,
the digest and room for signatures, in the contest's languages; the PDF's text read back with pypdf."""

import hashlib
import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from veche_gateway.protocol.model import build
from veche_gateway.protocol.pdf import protocol_pdf
from veche_gateway.protocol.render import protocol_html
from veche_shared.contracts.catalog import Contest, Nomination, Phase
from veche_shared.contracts.results import Certificate, Leaderboard, LeaderboardEntry
from veche_shared.contracts.tlog import FinalCheckpoint
from veche_shared.tlog.note import Checkpoint, Signer, sign_note

NOW = datetime.now(UTC).replace(microsecond=0)
DIGEST = "ab" * 32
SIGNER = Signer.generate("vote.example.org")


def final_checkpoint(nomination: str, entries: int) -> FinalCheckpoint:
    """A nomination's log as a certificate holds it: a checkpoint of its size and a root, signed."""
    root = hashlib.sha256(f"{nomination} {entries}".encode()).digest()
    checkpoint = Checkpoint(f"vote.example.org/forum/{nomination}", entries, root)
    note = sign_note(checkpoint.text, SIGNER)
    return FinalCheckpoint(size=entries, root=checkpoint.text.split("\n")[2], checkpoint=note)


LOGS = {"parks": final_checkpoint("parks", 1540), "schools": final_checkpoint("schools", 0)}


def entry(practice: str, title: str, town: str, votes: int) -> LeaderboardEntry:
    names = {"en": town, "ru": {"Perm": "Пермь", "Kazan": "Казань", "Tver": "Тверь"}[town]}
    return LeaderboardEntry(practice=practice, title={"en": title, "ru": f"{title} (рус.)"}, municipality=town.lower(),
                            municipality_name=names, votes=votes, share=0, rank=1)  # fmt: skip


def protocol(certified: bool = True):  # type: ignore[no-untyped-def]
    contest = Contest(id="forum", title={"ru": "Форум практик", "en": "Forum of practices"}, default_language="ru",
                      phase=Phase.results_published if certified else Phase.voting_closed,
                      opens_at=NOW - timedelta(days=3), closes_at=NOW - timedelta(hours=1))  # fmt: skip
    nominations = [Nomination(id="parks", contest="forum", title={"ru": "Парки", "en": "Parks"}, order=1),
                   Nomination(id="schools", contest="forum", title={"ru": "Школы", "en": "Schools"}, order=0),
                   Nomination(id="old", contest="forum", title={"en": "Old"}, archived=True)]  # fmt: skip
    parks = [entry("p1", "Riverside", "Perm", 0), entry("p2", "Green yards", "Kazan", 0),
             entry("p3", "Alleys & <paths>", "Tver", 0)]  # fmt: skip
    schools = [entry("s1", "Robotics", "Perm", 0)]
    boards = [Leaderboard(contest="forum", nomination=n, visible=True, total_votes=0, entries=e, version=9,
                          updated_at=NOW) for n, e in (("parks", parks), ("schools", schools))]  # fmt: skip
    certificate = Certificate(contest="forum", ledger_last_sequence=1540, ballots=1540, annulled=12,
                              digest_sha256=DIGEST, standings={"parks": {"p1": 700, "p2": 700, "p3": 128},
                                                               "schools": {}},
                              issued_at=NOW, logs=LOGS) if certified else None  # fmt: skip
    return build(contest, nominations, boards, certificate, NOW, SIGNER.verifier.vkey)


def test_places_shares_and_ties_follow_the_certificate() -> None:
    p = protocol()
    assert [n.id for n in p.nominations] == ["schools", "parks"]  # display order; archived left out
    parks = p.nominations[1]
    assert [(s.practice, s.place, s.votes) for s in parks.standings] == [("p1", 1, 700), ("p2", 1, 700), ("p3", 3, 128)]
    assert round(sum(s.share for s in parks.standings), 9) == 1
    assert [[s.practice for s in group] for group in parks.ties()] == [["p1", "p2"]]
    assert p.languages() == ["ru", "en"]


def test_preliminary_protocol_counts_the_live_standings_and_says_so() -> None:
    p = protocol(certified=False)
    assert not p.final
    html = protocol_html(p, "en")
    assert "PRELIMINARY" in html
    assert "digest" not in html.lower().split("rules")[0]  # no certificate, no digest in the header
    assert 'class="log"' not in html  # nor a log's checkpoint: issued at publication


def test_html_escapes_content_and_names_everything() -> None:
    html = protocol_html(protocol(), "en")
    expected = ["Forum of practices", "Parks", "Riverside", "Kazan", "45.8%", "share place 1", DIGEST,
                "Alleys &amp; &lt;paths&gt;", "12 of 1,540 recorded ballots were annulled",
                "Chair of the organising committee"]  # fmt: skip
    for text in expected:
        assert text in html, text
    assert '<link rel="stylesheet" href="/static/protocol.css">' in html


def test_each_nominations_final_checkpoint_is_printed_under_it_with_the_log_key() -> None:
    html = protocol_html(protocol(), "en")
    parks = html.split('id="n-parks"')[1].split("</section>")[0]
    assert 'data-log-size="1540"' in parks
    assert LOGS["parks"].root in parks
    assert "vote.example.org/forum/parks\n1540\n" in parks  # the signed note as it is, line by line
    assert "— vote.example.org " in parks  # its signature line
    assert LOGS["schools"].root not in parks
    assert SIGNER.verifier.vkey in html.split("</header>")[0]
    assert "never rewritten" in html


async def test_pdf_text_in_both_languages() -> None:
    for language, expected in (
        ("ru", ["Протокол итогов голосования", "Форум практик", "Парки", "Riverside (рус.)", "Казань", "45,8 %",
                "делят 1-е место", "1 540", "аннулированы", "Председатель оргкомитета", DIGEST[:32],
                "Журнал прозрачности", "vote.example.org/forum/parks"]),
        ("en", ["Results protocol", "Forum of practices", "Green yards", "Tver", "8.4%", "share place 1",
                "Final results: published and certified", "Secretary", "Transparency log: the final signed checkpoint",
                "vote.example.org/forum/schools"]),
    ):  # fmt: skip
        pdf = await protocol_pdf(protocol(), language)
        assert pdf.startswith(b"%PDF")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.replace("\u00a0", " ").split()).casefold()  # the heading is printed in capitals
        for phrase in expected:
            assert phrase.casefold() in text, (language, phrase, text[:600])
        unbroken = "".join(text.split())  # a root hash may wrap at the page's edge
        assert all(log.root.casefold() in unbroken for log in LOGS.values()), language


def test_approval_shares_are_of_ballots() -> None:
    """An approval ballot counts for several practices: shares are of the nomination's ballots, not its votes."""
    p = protocol()
    assert p.certificate is not None
    approval = p.certificate.model_copy(update={"schema_version": 2, "nomination_ballots": {"parks": 1000}})
    board = Leaderboard(contest="forum", nomination="parks", visible=True, total_votes=0,
                        entries=[entry("p1", "Riverside", "Perm", 0)], version=1, updated_at=NOW)  # fmt: skip
    parks = [Nomination(id="parks", contest="forum", title={"en": "Parks"})]
    drawn = build(p.contest, parks, [board], approval, NOW)
    assert (drawn.nominations[0].ballots, drawn.nominations[0].standings[0].share) == (1000, 0.7)
    assert "Ballots counted: 1,000" in protocol_html(drawn, "en")
