"""The results table (Markdown, written into bench/README.md between markers) and PNG charts."""

from pathlib import Path
from typing import Any

from bench import charts

START, END = "<!-- results:start -->", "<!-- results:end -->"


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
    return "met" if met else f"missed by {abs(value - goal) / goal:.0%}"


def rows(r: dict[str, Any]) -> list[list[str]]:
    ing, proj, fresh, rd = r["ingest"], r["projection"], r["freshness"], r["reads"]
    v, b1, b0 = ing["veche"]["max_rate"], ing["b1"]["max_rate"], ing["b0"]["max_rate"]
    r1, r0, r2 = _ratio(v, b1), _ratio(v, b0), _ratio(proj["veche"]["rate"], proj["b2"]["rate"])
    r3 = _ratio(rd["veche"]["rate"], rd["b3"]["rate"])
    out = [
        ["1 ingest, votes/s (p99 < 100 ms, 0 errors)", _m(v), f"B1 {_m(b1)}", _f(r1), ">= 0.5 x B1", _verdict(r1, 0.5)],
        ["1 ingest vs classic peer", _m(v), f"B0 {_m(b0)}", _f(r0), "(reference)", ""],
        [
            "2 projection replay, votes/s",
            _m(proj["veche"]["rate"]),
            f"B2 {_m(proj['b2']['rate'])}",
            _f(r2),
            ">= 0.5 x B2",
            _verdict(r2, 0.5),
        ],
        [f"3 freshness p50 at {fresh['rate']:.0f} votes/s", _m(fresh["p50_ms"], " ms"), "", "", "", ""],
        [
            f"3 freshness p99 at {fresh['rate']:.0f} votes/s",
            _m(fresh["p99_ms"], " ms"),
            "",
            "",
            "<= 500 ms",
            _verdict(fresh["p99_ms"]["median"], 500, higher_is_better=False),
        ],
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
        out.append(["4 leaderboard 304 path, req/s", _m(rd["veche_304"]["rate"]), "", "", "", ""])
    else:
        out.append(["4 leaderboard 304 path", "gateway sends no ETag", "", "", "", "not measurable"])
    return out


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def memory_rows(r: dict[str, Any]) -> list[list[str]]:
    out = []
    http = r["memory_http"]
    for name, m in http["processes"].items():
        growth = m["growth_mb"]
        out.append(
            [
                name,
                f"{http['votes']:,} over HTTP",
                _mb(m["before_mb"]),
                _mb(m["after_mb"]),
                _mb(growth),
                "started mid-run" if m["before_mb"] is None else _verdict(growth, 50, higher_is_better=False),
            ]
        )
    proj = r["projection"]
    nats = proj["nats_rss_mb"]
    out.append(
        [
            "nats (VOTES filled)",
            f"{proj['votes']:,} published",
            _mb(nats["before"]),
            _mb(nats["after"]),
            _mb(_diff(nats)),
            _verdict(_diff(nats), 50, higher_is_better=False),
        ]
    )
    for i, rep in enumerate(proj["veche"]["repetitions"]):
        grow = _diff({"before": rep["rss_first_batch_mb"], "after": rep["rss_end_mb"]})
        out.append(
            [
                f"results (replay {i + 1})",
                f"{proj['votes']:,} projected",
                _mb(rep["rss_first_batch_mb"]),
                _mb(rep["rss_end_mb"]),
                _mb(grow),
                _verdict(grow, 50, higher_is_better=False),
            ]
        )
    return out


def _diff(d: dict[str, float | None]) -> float | None:
    return d["after"] - d["before"] if d["after"] is not None and d["before"] is not None else None


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
