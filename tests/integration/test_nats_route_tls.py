"""TLS on the routes of a three-node NATS cluster: the nodes replicate an R3 stream over routes that nats-server
verifies at both ends (certificates of a throw-away CA made here with `cryptography`), and a node that presents no
certificate, or one of another CA, is not let into the cluster."""

import asyncio
import json
import uuid
from pathlib import Path

import httpx
import nats
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError

from tests.integration.pki import Authority
from veche_dev import devstack
from veche_dev.eventually import eventually
from veche_dev.natscluster import (
    NatsCluster,
    NatsNode,
    cluster_config,
    harness_options,
    running_cluster,
    wait_jetstream,
)


def route_tls(authority: Authority) -> dict[str, object]:
    cert_file, key_file = authority.server_certificate()
    return {"cert_file": str(cert_file), "key_file": str(key_file), "ca_file": str(authority.ca_file), "timeout": 5}


async def peers_of(node: NatsNode) -> set[str]:
    """The names of the servers node has routes to (a pool of several routes to each, since nats-server 2.10)."""
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"http://127.0.0.1:{node.monitor_port}/routez")
    routes = answer.json()["routes"] or []
    return {str(route["remote_name"]) for route in routes}


def intruder(cluster: NatsCluster, folder: Path, logs: Path, tls: dict[str, object] | None) -> devstack.Process:
    """A fourth node that asks to join the cluster's routes, with tls (or plaintext when None)."""
    node = NatsNode("intruder", devstack.free_port(), devstack.free_port(), folder / "intruder")
    folder.mkdir(parents=True, exist_ok=True)
    if tls is None:
        block = {"name": "veche", "listen": f"127.0.0.1:{node.cluster_port}", "routes": cluster.route_urls()}
        conf = folder / "intruder-plain.conf"
        conf.write_text(devstack.base_nats_conf().read_text() + "\ncluster " + json.dumps(block) + "\n")
    else:
        conf = cluster_config(devstack.base_nats_conf(), node, cluster.route_urls(), tls)
    argv = [devstack.nats_server_binary(), "-c", str(conf), "-p", str(node.port), "-js", "-sd", str(node.store)]
    process = devstack.spawn(f"nats-{node.name}-{uuid.uuid4().hex[:6]}", [*argv, "--server_name", "intruder"], logs)
    devstack.wait_tcp(node.port, process)
    return process


async def test_routes_speak_tls_and_refuse_a_node_without_the_clusters_certificate(
    infra: dict[str, str], tmp_path: Path
) -> None:
    logs = Path(infra["logs"])
    authority, stranger = Authority(tmp_path, "routes"), Authority(tmp_path, "stranger")
    with running_cluster(tmp_path / "nats", logs, route_tls=route_tls(authority), monitor=True) as cluster:
        await wait_jetstream(cluster.urls)
        assert [await peers_of(node) for node in cluster.nodes] == [{"n2", "n3"}, {"n1", "n3"}, {"n1", "n2"}]

        first, last = cluster.nodes[0], cluster.nodes[-1]
        writer = await nats.connect(first.url, **harness_options())
        reader = await nats.connect(last.url, **harness_options())
        try:
            name = f"ROUTE_TLS_{uuid.uuid4().hex[:8].upper()}"
            config = StreamConfig(name=name, subjects=[f"{name}.>"], num_replicas=3)
            await eventually(  # a new cluster's meta leader learns of its peers a moment after it is elected
                lambda: writer.jetstream().add_stream(config), what="an R3 stream placed", ignoring=(BadRequestError,)
            )
            ack = await writer.jetstream().publish(f"{name}.x", b"over TLS routes")
            stored = await eventually(
                lambda: reader.jetstream().get_msg(name, ack.seq), lambda m: m.data is not None, what="the replica"
            )
            assert stored.data == b"over TLS routes"
            await writer.jetstream().delete_stream(name)
        finally:
            await writer.close()
            await reader.close()

        genuine = [{"n2", "n3"}, {"n1", "n3"}, {"n1", "n2"}]
        for tls in (None, route_tls(stranger)):  # no certificate at all, or one of another authority
            process = intruder(cluster, tmp_path / uuid.uuid4().hex[:6], logs, tls)
            try:
                await asyncio.sleep(2)  # nats-server retries a failed route every second
                assert [await peers_of(node) for node in cluster.nodes] == genuine
            finally:
                process.stop()

        # the control: a fourth node with a certificate of the cluster's authority is let in
        process = intruder(cluster, tmp_path / "welcome", logs, route_tls(authority))
        try:
            joined = await eventually(
                lambda: peers_of(first), lambda peers: "intruder" in peers, what="the fourth node in n1's routes"
            )
            assert joined == {"n2", "n3", "intruder"}
        finally:
            process.stop()
