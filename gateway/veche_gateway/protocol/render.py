"""The protocol as an HTML document in one language (the same document the PDF is printed from)."""

from datetime import datetime
from html import escape

from veche_gateway.protocol.model import NominationResult, Protocol, Standing
from veche_gateway.protocol.words import words_for
from veche_shared.contracts.texts import pick

STYLESHEET = "/static/protocol.css"


def number(n: int, language: str) -> str:
    """1 520 in Russian (a no-break space groups thousands), 1,520 in English."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u00a0") if language.startswith("ru") else grouped


def percent(share: float, language: str) -> str:
    text = f"{share * 100:.1f} %"
    return text.replace(".", ",") if language.startswith("ru") else text.replace(" %", "%")


def moment(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


class Page:
    """One rendering: the protocol, the language of its words and content, and a text picker for that language."""

    def __init__(self, protocol: Protocol, language: str) -> None:
        self.protocol = protocol
        self.language = language
        self.w = words_for(language)

    def text(self, texts: dict[str, str]) -> str:
        return escape(pick(texts, self.language, self.protocol.contest.default_language))

    def html(self, stylesheet: str | None = STYLESHEET) -> str:
        contest = self.protocol.contest
        link = f'<link rel="stylesheet" href="{stylesheet}">' if stylesheet else ""
        title = f"{escape(self.w['kind'])} · {self.text(contest.title)}"
        nominations = [self.nomination(n) for n in self.protocol.nominations]
        body = [self.header(), *nominations, self.rules(), self.signatures()]
        return (
            f'<!doctype html>\n<html lang="{escape(self.language)}">\n<head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{link}</head>\n'
            f'<body class="protocol">\n{"".join(body)}\n</body>\n</html>\n'
        )

    def header(self) -> str:
        p, w = self.protocol, self.w
        contest = p.contest
        window = f"{moment(contest.opens_at) or w['no_bound']} – {moment(contest.closes_at) or w['no_bound']}"
        state = "final" if p.final else "preliminary"
        rows = [(w["contest"], escape(contest.id)), (w["window"], window), (w["drawn"], moment(p.drawn_at))]
        if p.certificate is not None:
            c = p.certificate
            tally = f"{number(c.ballots, self.language)} ({w['annulled']} {number(c.annulled, self.language)}, "
            tally += f"{w['counted']} {number(c.ballots - c.annulled, self.language)})"
            rows += [(w["cast"], tally), (w["digest"], f'<code class="digest">{c.digest_sha256}</code>'),
                     (w["sequence"], str(c.ledger_last_sequence))]  # fmt: skip
            if c.logs and p.log_key:
                rows.append((w["log_key"], f'<code class="digest">{escape(p.log_key)}</code>'))
        facts = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows)
        return (
            f'<header><p class="kind">{escape(w["kind"])}</p><h1>{self.text(contest.title)}</h1>'
            f'<p class="state {state}" data-state="{state}">{escape(w[state])}</p><dl>{facts}</dl></header>\n'
        )

    def nomination(self, result: NominationResult) -> str:
        w = self.w
        heading = f"<h2>{escape(w['nomination'])}: {self.text(result.title)}</h2>"
        counted = f"<p>{escape(w['votes_in'].format(n=number(result.ballots, self.language)))}</p>"
        opening = f'<section class="nomination" id="n-{result.id}">{heading}'
        if not result.standings:
            return f"{opening}<p>{escape(w['no_practices'])}</p></section>\n"
        columns = ("place", "practice", "municipality", "votes", "share")
        heads = "".join(f'<th scope="col">{escape(w[k])}</th>' for k in columns)
        rows = "".join(self.row(s) for s in result.standings)
        ties = "".join(f'<p class="tie">{self.tie(group)}</p>' for group in result.ties())
        grid = f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        return f"{opening}{counted}{grid}{ties}{self.checkpoint(result)}</section>\n"

    def checkpoint(self, result: NominationResult) -> str:
        """The nomination's final signed checkpoint as certified: what its count is tied to (nothing before)."""
        logs = self.protocol.certificate.logs if self.protocol.certificate else None
        final = (logs or {}).get(result.id)
        if final is None:
            return ""
        w = self.w
        root = f'<code class="digest">{escape(final.root)}</code>'
        facts = (f"<dt>{escape(w['log_size'])}</dt><dd>{number(final.size, self.language)}</dd>"
                 f"<dt>{escape(w['log_root'])}</dt><dd>{root}</dd>")  # fmt: skip
        return (
            f'<div class="log" data-log-size="{final.size}"><h3>{escape(w["log"])}</h3><dl>{facts}</dl>'
            f'<pre class="checkpoint">{escape(final.checkpoint)}</pre></div>'
        )

    def row(self, s: Standing) -> str:
        cells = [str(s.place), self.text(s.title), self.text(s.municipality_name) or "–",
                 number(s.votes, self.language), percent(s.share, self.language)]  # fmt: skip
        numeric = [True, False, False, True, True]
        tds = "".join(
            f'<td class="num">{v}</td>' if n else f"<td>{v}</td>" for n, v in zip(numeric, cells, strict=True)
        )
        return f'<tr data-practice="{escape(s.practice)}">{tds}</tr>'

    def tie(self, group: list[Standing]) -> str:
        opening, closing = ("«", "»") if self.language.startswith("ru") else ("“", "”")
        names = ", ".join(f"{opening}{self.text(s.title)}{closing}" for s in group)
        votes = number(group[0].votes, self.language)
        return escape(self.w["tie"]).format(names=names, votes=votes, place=group[0].place)

    def rules(self) -> str:
        w, c = self.w, self.protocol.certificate
        lines = [w["rule_one"], w["rule_ties"]]
        if c is None:
            lines.append(w["rule_preliminary"])
        else:
            annulled = w["rule_annulled"].format(annulled=number(c.annulled, self.language),
                                                 cast=number(c.ballots, self.language))  # fmt: skip
            lines += [annulled if c.annulled else w["rule_none_annulled"], w["rule_verify"]]
            lines += [w["rule_log"]] if c.logs else []
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        return f'<section class="rules"><h2>{escape(w["rules"])}</h2><ul>{items}</ul></section>\n'

    def signatures(self) -> str:
        w = self.w
        heads = "".join(f'<th scope="col">{escape(w[k])}</th>' for k in ("name", "signature", "date"))
        rows = "".join(f'<tr><th scope="row">{escape(w[role])}</th><td></td><td></td><td></td></tr>'
                       for role in ("role_chair", "role_secretary", "role_member", "role_member"))  # fmt: skip
        return (
            f'<section class="signatures"><h2>{escape(w["signatures"])}</h2>'
            f"<table><thead><tr><td></td>{heads}</tr></thead><tbody>{rows}</tbody></table></section>\n"
        )


def protocol_html(protocol: Protocol, language: str, stylesheet: str | None = STYLESHEET) -> str:
    return Page(protocol, language).html(stylesheet)
