"""PNG charts of a run (matplotlib, headless)."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def _bars(ax: Any, names: list[str], summaries: list[dict[str, Any]], title: str, unit: str) -> None:
    medians = [s["median"] or 0 for s in summaries]
    low = [m - (s["min"] or 0) for m, s in zip(medians, summaries, strict=True)]
    high = [(s["max"] or 0) - m for m, s in zip(medians, summaries, strict=True)]
    ax.bar(names, medians, yerr=[low, high], capsize=6, color=["#c0392b"] + ["#7f8c8d"] * (len(names) - 1))
    ax.set_title(title)
    ax.set_ylabel(unit)


def draw(r: dict[str, Any], out: Path) -> None:
    fig, axes = plt.subplots(1, 4, figsize=(17, 4))
    ing = r["ingest"]
    _bars(
        axes[0],
        ["Veche", "B1 FastAPI+JS", "B0 Flask+Redis"],
        [ing["veche"]["max_rate"], ing["b1"]["max_rate"], ing["b0"]["max_rate"]],
        "1 vote ingest (p99<100 ms)",
        "votes/s",
    )
    proj = r["projection"]
    _bars(
        axes[1],
        ["Veche results", "B2 fetch+ack"],
        [proj["veche"]["rate"], proj["b2"]["rate"]],
        f"2 projection replay ({proj['votes']:,} votes)",
        "votes/s",
    )
    rd = r["reads"]
    names = ["Veche", "B3 bare"] + (["Veche 304"] if "veche_304" in rd else [])
    _bars(
        axes[2], names, [rd[k]["rate"] for k in ("veche", "b3", "veche_304") if k in rd], "4 leaderboard reads", "req/s"
    )
    _latencies(axes[3], r)
    fig.tight_layout()
    fig.savefig(out / f"{r['mode']}-throughput.png", dpi=90)
    plt.close(fig)
    _ladder(r, out)


def _latencies(ax: Any, r: dict[str, Any]) -> None:
    """Scenario 3's vote-to-SSE time and scenario 5's publish-to-every-stream time, each against its goal."""
    fresh, fan = r["freshness"], r.get("fanout")
    panels = [("3 p50", fresh["p50_ms"], None), ("3 p99", fresh["p99_ms"], 500)]
    if fan:
        panels += [("5 p50", fan["p50_ms"], None), ("5 p99", fan["p99_ms"], 1000)]
    _bars(ax, [name for name, _, _ in panels], [s for _, s, _ in panels], "3 vote->SSE, 5 fan-out (goal --)", "ms")
    for i, (_, _, goal) in enumerate(panels):
        ax.patches[i].set_color("#c0392b")  # all Veche: no baseline here
        if goal:
            ax.hlines(goal, i - 0.4, i + 0.4, linestyles="--", color="gray")


def _ladder(r: dict[str, Any], out: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, color in (("veche", "#c0392b"), ("b1", "#2c3e50"), ("b0", "#16a085")):
        for i, rep in enumerate(r["ingest"][name]["repetitions"]):
            steps = rep["steps"]
            ax.plot(
                [s["rate"] for s in steps],
                [s["p99_ms"] for s in steps],
                "o-",
                color=color,
                alpha=0.7,
                label=name if i == 0 else None,
            )
    ax.axhline(100, linestyle="--", color="gray")
    ax.set_xlabel("votes/s")
    ax.set_ylabel("p99 latency, ms")
    ax.set_yscale("log")
    ax.set_title("1 vote ingest: wrk ladder (connections 2..64)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / f"{r['mode']}-ingest-ladder.png", dpi=90)
    plt.close(fig)
