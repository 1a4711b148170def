"""Flame graphs from py-spy's collapsed stacks (`py-spy record --format raw`): an SVG and the hottest frames."""

import html
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

WIDTH, ROW = 1200.0, 16


def read_stacks(path: Path) -> Counter[tuple[str, ...]]:
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in path.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks[tuple(frames.split(";"))] += int(count)
    return stacks


def _short(frame: str) -> str:
    """'handler (veche_voting/handlers.py:58)' -> 'handler (veche_voting/handlers.py)', site-packages trimmed."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0].split("site-packages/")[-1].split("/work/")[-1]
    return f"{name} ({where})" if where else name


IDLE = ("select (selectors.py)",)  # the event loop waiting for work: not a hot spot
STDLIB = ("asyncio/", "selectors.py", "threading.py", "socket.py")


def _label(frames: tuple[str, ...]) -> str:
    """The innermost frame; for one inside asyncio, also the first caller outside it (who wrote to the socket)."""
    inner = _short(frames[-1])
    if not any(s in inner for s in STDLIB):
        return inner
    caller = next((_short(f) for f in reversed(frames) if not any(s in f for s in STDLIB)), "")
    return f"{inner} <- {caller}" if caller else inner


def hot_spots(stacks: Counter[tuple[str, ...]], top: int = 10) -> list[dict[str, Any]]:
    """Frames by self time (the innermost frame of each sample), as shares of all busy samples."""
    busy = {f: n for f, n in stacks.items() if not _short(f[-1]).endswith(IDLE)}
    total = sum(busy.values()) or 1
    own: Counter[str] = Counter()
    for frames, count in busy.items():
        own[_label(frames)] += count
    return [{"frame": f, "self_share": n / total} for f, n in own.most_common(top)]


def hot_packages(stacks: Counter[tuple[str, ...]], top: int = 10) -> list[dict[str, Any]]:
    """Self time grouped by the top-level package of the innermost frame."""
    total = sum(stacks.values()) or 1
    own: Counter[str] = Counter()
    for frames, count in stacks.items():
        where = _short(frames[-1]).partition(" (")[2].rstrip(")")
        own[where.split("/")[0] if "/" in where else where or "?"] += count
    return [{"package": p, "self_share": n / total} for p, n in own.most_common(top)]


def _tree(stacks: Counter[tuple[str, ...]]) -> dict[str, Any]:
    root: dict[str, Any] = {"n": 0, "kids": {}}
    for frames, count in stacks.items():
        node = root
        node["n"] += count
        for frame in frames:
            node = node["kids"].setdefault(_short(frame), {"n": 0, "kids": {}})
            node["n"] += count
    return root


def svg(stacks: Counter[tuple[str, ...]], title: str) -> str:
    """An icicle-style flame graph (callers on top); hover a box for its name and share."""
    root = _tree(stacks)
    total = root["n"] or 1
    boxes: list[str] = []
    depth_max = [0]

    def draw(node: dict[str, Any], x: float, depth: int) -> None:
        for name, kid in sorted(node["kids"].items()):
            w = WIDTH * kid["n"] / total
            if w >= 0.5:
                depth_max[0] = max(depth_max[0], depth)
                y, label = 24 + depth * ROW, html.escape(name)
                hue = 20 + zlib.crc32(name.partition(" (")[2].encode()) % 40
                text = f'<text x="{x + 2:.1f}" y="{y + 12}">{html.escape(name[: int(w / 7)])}</text>' if w > 30 else ""
                boxes.append(
                    f"<g><title>{label} ({kid['n']} samples, {100 * kid['n'] / total:.1f}%)</title>"
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 1}" '
                    f'fill="hsl({hue},85%,60%)"/>{text}</g>'
                )
                draw(kid, x, depth + 1)
            x += w

    draw(root, 0.0, 0)
    height = 24 + (depth_max[0] + 1) * ROW + 8
    head = f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" height="{height}" font-family="monospace" '
    head += f'font-size="11"><text x="4" y="16" font-size="13">{html.escape(title)} ({total} samples)</text>'
    return head + "".join(boxes) + "</svg>\n"
