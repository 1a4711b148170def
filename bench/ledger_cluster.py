"""A loopback nats-server JetStream cluster for the ledger layout probe: start, measure, restart every node."""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import cpu_seconds, rss_mb
from veche_dev import devstack


@dataclass
class Node:
    name: str
    port: int
    route_port: int
    store: Path
    tags: list[str]
    process: devstack.Process | None = None


@dataclass
class Cluster:
    """`size` nats-servers with routes to each other (one: a standalone server); `mappings` are account subject
    mappings (server config)."""

    root: Path
    size: int = 3
    tags: list[list[str]] = field(default_factory=list)
    mappings: dict[str, str] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i in range(self.size):
            tags = self.tags[i] if i < len(self.tags) else []
            store = self.root / f"n{i}" / "store"
            self.nodes.append(Node(f"n{i}", devstack.free_port(), devstack.free_port(), store, tags))

    @property
    def urls(self) -> list[str]:
        return [f"nats://127.0.0.1:{n.port}" for n in self.nodes]

    def _config(self, node: Node) -> str:
        routes = ", ".join(f'"nats-route://127.0.0.1:{n.route_port}"' for n in self.nodes)
        tags = ", ".join(f'"{t}"' for t in node.tags)
        mappings = "\n".join(f'  "{src}": "{dst}"' for src, dst in self.mappings.items())
        cluster = f"cluster {{ name: probe, listen: 127.0.0.1:{node.route_port}, routes: [{routes}] }}"
        return f"""server_name: {node.name}
listen: 127.0.0.1:{node.port}
server_tags: [{tags}]
jetstream {{ store_dir: "{node.store}", max_memory_store: 256MB, max_file_store: 50GB }}
{cluster if self.size > 1 else ""}
mappings {{
{mappings}
}}
"""

    def start(self) -> None:
        binary = devstack.nats_server_binary()
        for node in self.nodes:
            conf = self.root / node.name / "nats.conf"
            conf.parent.mkdir(parents=True, exist_ok=True)
            conf.write_text(self._config(node))
            node.process = devstack.spawn(node.name, [binary, "-c", str(conf)], self.root / "logs")
        for node in self.nodes:
            assert node.process is not None
            devstack.wait_tcp(node.port, node.process)

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is not None:
                node.process.stop(timeout=30)
                node.process = None

    def restart(self) -> None:
        """Stop every node (SIGTERM, as a rolling upgrade would), then start them all on the same stores."""
        self.stop()
        time.sleep(0.5)
        self.start()

    def rss_mb(self) -> list[float]:
        return [rss_mb(n.process.popen.pid) or 0.0 if n.process else 0.0 for n in self.nodes]

    def cpu_seconds(self) -> list[float]:
        return [cpu_seconds(n.process.popen.pid) if n.process else 0.0 for n in self.nodes]

    def disk_mb(self) -> list[float]:
        return [_tree_bytes(n.store) / 2**20 for n in self.nodes]


def _tree_bytes(path: Path) -> int:
    """Bytes the files under `path` take on disk (allocated blocks, as du reports)."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(folder, name)).st_blocks * 512
            except FileNotFoundError:
                continue
    return total
