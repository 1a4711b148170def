"""Results written for people, at /<lang>/contests/<c>/results: per nomination the winner, the podium with
names, municipalities, votes and shares, ties said in words, then every practice; "live" only while the contest
is voting and its results are live; the certificate's facts and how to check them in a section for auditors at
the end. Rendered on the server, printable (the print stylesheet drops navigation)."""

import asyncio
from html import escape
from string import Template

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from veche_gateway.api.deps import contest_leaderboards, public_contest
from veche_gateway.api.upstream import ask
from veche_gateway.assets import Assets
from veche_gateway.pages import Language
from veche_gateway.results_text import COLUMNS, ICONS, STEPS, TEXTS, votes
from veche_shared.contracts import results as r
from veche_shared.contracts import submissions
from veche_shared.contracts.catalog import Contest, Phase, Visibility
from veche_shared.contracts.common import Id
from veche_shared.contracts.texts import pick
from veche_shared.errors import DomainError
from veche_shared.operations import results as results_ops
from veche_shared.operations import submissions as ops


def state_of(contest: Contest) -> str:
    if contest.phase == Phase.results_published:
        return "certified"
    if contest.phase == Phase.voting_open and contest.visibility == Visibility.live:
        return "live"
    return {Phase.voting_open: "counting", Phase.voting_closed: "closed"}.get(contest.phase, "coming")


def nomination_block(board: r.Leaderboard, title: str, lang: str, langs: tuple[str, ...]) -> str:
    t = TEXTS[lang]
    head = f'    <section class="nomination" aria-labelledby="n-{board.nomination}">\n' \
           f'      <h2 id="n-{board.nomination}">{escape(title)}</h2>\n'  # fmt: skip
    if not board.visible:
        return head + f'      <p class="note">{escape(t["hidden"])}</p>\n    </section>'
    if not board.entries or board.total_votes == 0:
        return head + f'      <p class="note">{escape(t["no_votes"])}</p>\n    </section>'

    def who(e: r.LeaderboardEntry) -> str:
        return f"<strong>{escape(pick(e.title, *langs))}</strong> ({escape(pick(e.municipality_name, *langs))})"

    def count(e: r.LeaderboardEntry) -> str:
        return f"{votes(e.votes, lang)}, {e.share:.1%}".replace(".", ",") if lang == "ru" else \
            f"{votes(e.votes, lang)}, {e.share:.1%}"  # fmt: skip

    first = [e for e in board.entries if e.rank == 1]
    if len(first) == 1:
        lead = t["winner"].format(who=who(first[0]), count=escape(count(first[0])))
    else:
        names = ", ".join(who(e) for e in first)
        lead = t["tie"].format(names=names, count=escape(votes(first[0].votes, lang)))
    podium = "".join(
        f'<li data-place="{escape(t["place"].format(n=e.rank))}">{who(e)} — {escape(count(e))}</li>'
        for e in board.entries if e.rank <= 3
    )  # fmt: skip
    rows = "".join(
        f'<tr><td class="n">{e.rank}</td><th scope="row">{escape(pick(e.title, *langs))}</th>'
        f'<td>{escape(pick(e.municipality_name, *langs))}</td><td class="n">{e.votes:,}</td>'
        f'<td class="n">{e.share:.1%}</td></tr>'
        for e in board.entries
    )
    table = (
        f'<table class="standings"><caption class="visually-hidden">{escape(t["all"])}</caption><thead><tr>'
        + "".join(f'<th scope="col">{escape(h)}</th>' for h in COLUMNS[lang])
        + f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    ties = f'<p class="note">{escape(t["ties"])}</p>' if len({e.rank for e in board.entries}) < len(board.entries) \
        else ""  # fmt: skip
    return (
        head + f'      <p class="winner">{lead}</p>\n'
        f'      <h3>{escape(t["podium"])}</h3><ol class="podium">{podium}</ol>\n'
        f"      {ties}<details><summary>{escape(t['all'])}</summary>{table}</details>\n    </section>"
    )


def auditors_block(certificate: r.Certificate | None, contest: str, lang: str) -> str:
    t = TEXTS[lang]
    if certificate is None:
        return ""
    url = f"/api/v1/contests/{contest}/certificate"
    ballots = f"/api/v1/contests/{contest}/ballots"  # public once published: what the certificate counts
    protocol = f"/api/v1/contests/{contest}/protocol"  # the same facts for people: to print, sign and publish
    facts = [(t["digest"], f"<code>{certificate.digest_sha256}</code>"), (t["ballots"], f"{certificate.ballots:,}"),
             (t["annulled"], f"{certificate.annulled:,}"), (t["sequence"], f"{certificate.ledger_last_sequence:,}"),
             (t["issued"], escape(certificate.issued_at.strftime("%Y-%m-%d %H:%M UTC")))]  # fmt: skip
    listed = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in facts)
    steps = "".join(f"<li>{escape(step)}</li>" for step in STEPS[lang])
    return (
        f'    <section class="auditors" aria-labelledby="auditors"><h2 id="auditors">{escape(t["auditors"])}</h2>'
        f'<p>{escape(t["auditors_intro"])}</p><dl>{listed}</dl><p><a href="{url}" download="certificate.json">'
        f'{escape(t["download"])}</a></p><p><a href="{ballots}" download="ballots.jsonl">'
        f'{escape(t["ballots_file"])}</a></p><p class="protocol"><a href="{protocol}?format=pdf&amp;lang={lang}">'
        f'{escape(t["protocol_pdf"])}</a> · <a href="{protocol}?lang={lang}">{escape(t["protocol_page"])}</a></p>'
        f"<ol>{steps}</ol><pre><code>curl -o certificate.json ORIGIN{url}\ncurl -o ballots.jsonl ORIGIN{ballots}\n"
        f"veche verify certificate.json ballots.jsonl</code></pre></section>"
    )


def install(app: FastAPI, assets: Assets) -> None:
    template = Template(assets.files["results.html"].body.decode())

    @app.get("/{lang}/contests/{contest}/results", include_in_schema=False)
    async def results_page(request: Request, lang: Language, contest: Id) -> HTMLResponse:
        """Winners, podiums and every practice's votes per nomination; the certificate for auditors."""
        found = await public_contest(request, contest)
        nominations, boards = await asyncio.gather(
            ask(request, ops.NOMINATION_LIST, submissions.ListNominations(contest=contest)),
            contest_leaderboards(request, contest, hidden=False),
        )
        certificate = None
        if found.phase == Phase.results_published:
            try:
                certificate = await ask(request, results_ops.CERTIFICATE_GET, r.ContestQuery(contest=contest))
            except DomainError:
                certificate = None  # published before certification finished: the standings still show
        t, other, langs = TEXTS[lang], "ru" if lang == "en" else "en", (lang, found.default_language)
        by_id = {b.nomination: b.public() for b in boards}
        blocks = [nomination_block(by_id[n.id], pick(n.title, *langs), lang, langs)
                  for n in nominations if not n.archived and n.id in by_id]  # fmt: skip
        state = state_of(found)
        values = {
            "lang": lang, "other_lang": other, "other_name": t["other"], "heading": t["heading"],
            "contest_title": pick(found.title, *langs), "contest_url": f"/{lang}/contests/{contest}",
            "other_url": f"/{other}/contests/{contest}/results", "crumbs_label": t["crumbs"],
            "all_votes": t["all_votes"], "state": t[state], "icon": ICONS[state],
        }  # fmt: skip
        page = template.substitute(
            {k: escape(v) for k, v in values.items()}
            | {"nominations": "\n".join(blocks), "auditors": auditors_block(certificate, contest, lang)}
        )
        return HTMLResponse(page.replace("ORIGIN/", str(request.base_url)), headers={"Cache-Control": "no-cache"})
