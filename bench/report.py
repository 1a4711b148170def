"""The results table (Markdown, written into bench/README.md between markers) and PNG charts."""

from pathlib import Path
from typing import Any

from bench import charts

START, END = "<!-- results:start -->", "<!-- results:end -->"
FANOUT_GOAL = 20_000  # SSE streams on one gateway process (issue 17, goal 5)


def _m(s: dict[str, Any] | None, unit: str = "", digits: int = 0) -> str:
    """'median (min–max)' of a summary."""
    if not s or s.get("median") is None:
        return "n/a"
    return f"{s['median']:,.{digits}f}{unit} ({s['min']:,.{digits}f}–{s['max']:,.{digits}f})"


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or not a.get("median") or not b.get("median"):
        return None
    return float(a["median"]) / float(b["median"])


def _verdict(value: float | None, goal: float, higher_is_better: bool = True) -> str:
    if value is None:
        return "not measured"
    met = value >= goal if higher_is_better else value <= goal
    miss = abs(value - goal) / goal
    return "met" if met else f"missed by {miss:.0%}" if miss >= 0.01 else f"missed by {miss:.1%}"


def rows(r: dict[str, Any]) -> list[list[str]]:
    """One row per goal of issue 17's table (each with a verdict), plus reference rows without one."""
    ing, proj, fresh, rd = r["ingest"], r["projection"], r["freshness"], r["reads"]
    v, b1, b0 = ing["veche"]["max_rate"], ing["b1"]["max_rate"], ing["b0"]["max_rate"]
    r1, r0, r2 = _ratio(v, b1), _ratio(v, b0), _ratio(proj["veche"]["rate"], proj["b2"]["rate"])
    r3 = _ratio(rd["veche"]["rate"], rd["b3"]["rate"])
    out = [
        ["1 ingest, votes/s (p99 < 100 ms, 0 errors)", _m(v), f"B1 {_m(b1)}", _f(r1), ">= 0.5 x B1", _verdict(r1, 0.5)],
        ["1 ingest vs classic peer", _m(v), f"B0 {_m(b0)}", _f(r0), ">= 1.0 x B0", _verdict(r0, 1.0)],
        [
            "2 projection replay, votes/s",
            _m(proj["veche"]["rate"]),
            f"B2 {_m(proj['b2']['rate'])}",
            _f(r2),
            ">= 0.5 x B2",
            _verdict(r2, 0.5),
        ],
        *_latency_rows("3 freshness {} at " + f"{fresh['rate']:.0f} votes/s", fresh, 250),
        [
            "4 leaderboard reads, req/s",
            _m(rd["veche"]["rate"]),
            f"B3 {_m(rd['b3']['rate'])}",
            _f(r3),
            ">= 0.8 x B3",
            _verdict(r3, 0.8),
        ],
    ]
    if "veche_304" in rd:
        r304 = _ratio(rd["veche_304"]["rate"], rd["b3"]["rate"])
        verdict = _verdict(r304, 1.0) if rd.get("etag_still_current", True) else "ETag changed: not all 304s"
        row = [
            "4 leaderboard 304 path, req/s",
            _m(rd["veche_304"]["rate"]),
            "B3 (200)",
            _f(r304),
            ">= 1.0 x B3",
            verdict,
        ]
        out.append(row)
    else:
        out.append(["4 leaderboard 304 path", "gateway sends no ETag", "", "", ">= 1.0 x B3", "not measurable"])
    return out + fanout_rows(r.get("fanout")) + ledger_rows(r)


def ledger_rows(r: dict[str, Any]) -> list[list[str]]:
    """Goals 6 (broker memory per ballot) and 7 (cost curves): from scenario 2's nats RSS, and from the ledger
    results a run adds under "broker_memory" / "cost_curves" when it measures them."""
    proj = r["projection"]
    nats = proj.get("nats_rss_mb", {})
    per_ballot = None
    if nats.get("before") is not None and nats.get("after") is not None and proj.get("votes"):
        per_ballot = (nats["after"] - nats["before"]) * 1024 * 1024 / proj["votes"]
    after = f"{per_ballot:,.0f} B" if per_ballot is not None else "n/a"
    memory = r.get("broker_memory") or {}
    restart = memory.get("after_restart_bytes_per_ballot")
    out = [
        [f"6 broker memory per ballot after publishing {proj['votes']:,}", after, "", "", "<= 200 B",
         _verdict(per_ballot, 200, higher_is_better=False)],
        [f"6 broker memory per ballot after a broker restart ({memory.get('source', 'make ledger-probe')})",
         f"{restart:,.0f} B" if restart is not None else "n/a",
         "", "", "<= 200 B", _verdict(restart, 200, higher_is_better=False)],
    ]  # fmt: skip
    curves = r.get("cost_curves")
    out.append(["7 cost curves (0, 1M, 3M ballots in the ledger; make cost-curves)", "measured" if curves else "n/a",
                "", "", "chart",
                "met" if curves else "not measured"])  # fmt: skip
    return out


def _latency_rows(label: str, measured: dict[str, Any], goal_ms: float) -> list[list[str]]:
    """p50 and p99 rows (label has a {} for which); the goal is on p99."""
    verdict = _verdict(measured["p99_ms"]["median"], goal_ms, higher_is_better=False)
    return [
        [label.format("p50"), _m(measured["p50_ms"], " ms"), "", "", "", ""],
        [label.format("p99"), _m(measured["p99_ms"], " ms"), "", "", f"<= {goal_ms:,.0f} ms", verdict],
    ]


def fanout_rows(fan: dict[str, Any] | None) -> list[list[str]]:
    if not fan:
        return [["5 SSE fan-out", "not run", "", "", "", ""]]
    streams = f"{fan['clients']:,} SSE streams" + (
        f" (open-file limit; {fan['clients_wanted']:,} asked)" if fan["clients"] < fan["clients_wanted"] else ""
    )
    complete = fan["complete_share"]["median"]
    kb = fan["kb_per_connection"].get("median")
    return [
        [
            "5 fan-out: streams on one gateway process",
            f"{fan['clients']:,}",
            "",
            "",
            f">= {FANOUT_GOAL:,}",
            _verdict(fan["clients"], FANOUT_GOAL),
        ],
        *_latency_rows(f"5 fan-out to {streams}, delivery {{}}", fan, 1000),
        [
            f"5 fan-out: streams that got all {fan['updates']} updates",
            _m(fan["complete_share"], "", 3),
            "",
            "",
            "1.000",
            "met" if complete == 1 else _verdict(complete, 1.0),
        ],
        [
            "5 fan-out: gateway memory per stream",
            _m(fan["kb_per_connection"], " KB", 1),
            "",
            "",
            "<= 20 KB",
            _verdict(kb, 20, higher_is_better=False),
        ],
    ]


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def memory_rows(r: dict[str, Any]) -> list[list[str]]:
    http, proj = r["memory_http"], r["projection"]
    out = [
        _memory_row(name, f"{http['votes']:,} over HTTP", m["before_mb"], m["after_mb"], "started mid-run")
        for name, m in http["processes"].items()
    ]
    nats = proj["nats_rss_mb"]
    out.append(_memory_row("nats (VOTES filled)", f"{proj['votes']:,} published", nats["before"], nats["after"]))
    for i, rep in enumerate(r.get("fanout", {}).get("repetitions", [])):
        rss = rep["gateway_rss_mb"]
        out.append(
            _memory_row(f"gateway (fan-out {i + 1})", f"{rep['clients']:,} SSE streams", rss["idle"], rss["open"])
        )
    for i, rep in enumerate(proj["veche"]["repetitions"]):
        what = f"{proj['votes']:,} projected"
        out.append(_memory_row(f"results (replay {i + 1})", what, rep["rss_first_batch_mb"], rep["rss_end_mb"]))
    return out


def _memory_row(
    name: str, what: str, before: float | None, after: float | None, unknown: str = "not measured"
) -> list[str]:
    """One row of the memory table: RSS before, after, growth, and growth against the 50 MB goal."""
    growth = after - before if after is not None and before is not None else None
    verdict = unknown if before is None else _verdict(growth, 50, higher_is_better=False)
    return [name, what, _mb(before), _mb(after), _mb(growth), verdict]


def _mb(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f} MB"


def table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])


def markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    ing, fresh = r["ingest"], r["freshness"]
    parts = [
        f"Run of {m['date_utc']} ({r['mode']}, {r['sizes']['repeats']} repetitions, {r['seconds']:.0f} s) on "
        f"{m['cpus']} x {m['cpu_model']}, {m['memory_gib']} GiB, load average {m['load_average_at_start'][0]:.2f} "
        f"at start and {m['load_average_at_end'][0]:.2f} at end; commit {m['git_commit']}. Cells: median (min–max).",
        "",
        table(["scenario", "Veche", "baseline", "ratio", "goal", "verdict"], rows(r)),
        "",
        "Load generator CPU (share of one core, median): "
        f"wrk at Veche's best ingest step {_m(ing['veche']['loadgen_cpu_share_at_max'], '', 2)}, "
        f"at B1's {_m(ing['b1']['loadgen_cpu_share_at_max'], '', 2)}, at B0's "
        f"{_m(ing['b0']['loadgen_cpu_share_at_max'], '', 2)}; "
        f"freshness generator {_m(fresh['loadgen_cpu_share'], '', 2)}; "
        f"SSE fan-out client {_m(r.get('fanout', {}).get('loadgen_cpu_share'), '', 2)}; "
        f"wrk on reads {_m(r['reads']['veche']['loadgen_cpu_share'], '', 2)}.",
        "",
        "Server CPU per accepted vote at the best ingest step (all of a target's processes, NATS included): "
        f"Veche {_m(ing['veche']['server_cpu_ms_per_vote_at_max'], ' ms', 2)}, "
        f"B1 {_m(ing['b1']['server_cpu_ms_per_vote_at_max'], ' ms', 2)}, "
        f"B0 {_m(ing['b0']['server_cpu_ms_per_vote_at_max'], ' ms', 2)}. By process: {_by_process(ing)}.",
        "",
        "Memory (RSS):",
        "",
        table(["process", "votes", "before", "after", "growth", "goal <= 50 MB"], memory_rows(r)),
        "",
        "Hot spots under peak vote load (py-spy, self time):",
        "",
        table(["process", "top 1", "top 2", "top 3"], _hot(r)),
    ]
    return "\n".join(parts)


def _by_process(ing: dict[str, Any]) -> str:
    """CPU ms per vote of each process at each target's best step of the last repetition."""
    parts = []
    for target in ("veche", "b1", "b0"):
        best = next((rep["best"] for rep in reversed(ing[target]["repetitions"]) if rep["best"]), None)
        if best:
            cells = ", ".join(f"{n} {v:.2f}" for n, v in sorted(best["cpu_ms_per_vote"].items(), key=lambda x: -x[1]))
            parts.append(f"{target}: {cells}")
    return "; ".join(parts) or "n/a"


def _hot(r: dict[str, Any]) -> list[list[str]]:
    out = []
    processes = r["profile"]["processes"] | {"results (replay)": r["projection"].get("profile", {})}
    for name, p in processes.items():
        spots = [f"{h['frame']} {h['self_share']:.0%}" for h in p.get("hot_spots", [])[:3]]
        out.append([name, *(spots + ["n/a"] * 3)[:3]])
    return out


def write(result: dict[str, Any], out: Path, readme: Path | None) -> None:
    """Charts into out/; the table into readme between the markers (smoke runs write no README)."""
    text = markdown(result)
    (out / f"{result['mode']}.md").write_text(text + "\n")
    charts.draw(result, out)
    if readme is not None:
        current = readme.read_text()
        head, _, rest = current.partition(START)
        _, _, tail = rest.partition(END)
        readme.write_text(f"{head}{START}\n{text}\n{END}{tail}")


def partial(r: dict[str, Any]) -> str:
    """A short summary of a run of some scenarios (`--scenarios`): each measured number and ratio, no table."""
    lines = [f"partial run of {', '.join(r['scenarios'])}; load average {r['machine']['load_average_at_start'][0]:.2f}"]
    if "ingest" in r:
        ing = r["ingest"]
        rates = {k: ing[k]["max_rate"] for k in ("veche", "b1", "b0")}
        lines.append("ingest votes/s: " + ", ".join(f"{k} {_m(v)}" for k, v in rates.items()))
        lines.append(
            f"  ratio B1 {_f(_ratio(rates['veche'], rates['b1']))}, B0 {_f(_ratio(rates['veche'], rates['b0']))}"
        )
        cpu = {k: _m(ing[k]["server_cpu_ms_per_vote_at_max"], " ms", 2) for k in ("veche", "b1", "b0")}
        lines.append(f"  server CPU per vote: {cpu}; {_by_process(ing)}")
    if "reads" in r:
        rd = r["reads"]
        lines.append("reads req/s: " + ", ".join(f"{k} {_m(v['rate'])}" for k, v in rd.items() if isinstance(v, dict)))
        lines.append(
            f"  ratio {_f(_ratio(rd['veche']['rate'], rd['b3']['rate']))}, 304 path "
            f"{_f(_ratio(rd.get('veche_304', {}).get('rate'), rd['b3']['rate']))}"
        )
    if "freshness" in r:
        lines.append(
            f"freshness at {r['freshness']['rate']:.0f}/s: p50 {_m(r['freshness']['p50_ms'], ' ms')}, "
            f"p99 {_m(r['freshness']['p99_ms'], ' ms')}"
        )
    if "fanout" in r:
        fan = r["fanout"]
        lines.append(
            f"fan-out {fan['clients']} streams: p50 {_m(fan['p50_ms'], ' ms')}, p99 {_m(fan['p99_ms'], ' ms')}, "
            f"complete {_m(fan['complete_share'], '', 3)}, {_m(fan['kb_per_connection'], ' KB', 1)} each, "
            f"gateway CPU per update {_m(fan['gateway_cpu_ms_per_update'], ' ms')}"
        )
    if "projection" in r:
        proj = r["projection"]
        lines.append(
            f"projection of {proj['votes']:,}: veche {_m(proj['veche']['rate'])}, b2 {_m(proj['b2']['rate'])}, "
            f"ratio {_f(_ratio(proj['veche']['rate'], proj['b2']['rate']))}; CPU per ballot: veche "
            f"{_m(proj['veche'].get('cpu_us_per_ballot'), ' us', 1)}, "
            f"b2 {_m(proj['b2'].get('cpu_us_per_ballot'), ' us', 1)}"
        )
    if "projection" in r and "profile" in r["projection"]:
        spots = r["projection"]["profile"].get("hot_spots", [])[:5]
        lines.append("profile results: " + "; ".join(f"{h['frame']} {h['self_share']:.0%}" for h in spots))
    if "profile" in r:
        for name, p in r["profile"]["processes"].items():
            lines.append(
                f"profile {name}: "
                + "; ".join(f"{h['frame']} {h['self_share']:.0%}" for h in p.get("hot_spots", [])[:5])
            )
    return "\n".join(lines)
