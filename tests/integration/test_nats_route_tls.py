"""TLS on the routes of a three-node NATS cluster: the nodes replicate an R3 stream over routes that nats-server
verifies at both ends (certificates of a throw-away CA made here with `cryptography`), and a node that presents no
certificate, or one of another CA, is not let into the cluster. Mutual TLS for the clients of that cluster: every
node admits a client with a certificate of the authority and no other."""

import json
import re
import ssl
import uuid
from pathlib import Path

import httpx
import nats
import nats.errors
import pytest
from nats.aio.client import Client
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError, ServiceUnavailableError

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


async def replicated(writer: Client, reader: Client, text: bytes, *, placing: tuple[type[Exception], ...]) -> None:
    """An R3 stream written through writer's node is read through reader's: its replicas travel over the routes.
    `placing`: what the cluster may answer while it cannot place the stream yet."""
    name = f"TLS_{uuid.uuid4().hex[:8].upper()}"
    config = StreamConfig(name=name, subjects=[f"{name}.>"], num_replicas=3)
    await eventually(lambda: writer.jetstream().add_stream(config), what="an R3 stream placed", ignoring=placing)
    ack = await writer.jetstream().publish(f"{name}.x", text)
    stored = await eventually(
        lambda: reader.jetstream().get_msg(name, ack.seq), lambda m: m.data is not None, what="the replica"
    )
    assert stored.data == text
    await writer.jetstream().delete_stream(name)


async def refused_by_every_node(process: devstack.Process, cluster: NatsCluster) -> None:
    """Until the intruder's log shows two of its route connections to every node closed (it opens several per node
    and retries each second): every node has answered it, so the routes can be read without a fixed wait."""
    ports = [node.cluster_port for node in cluster.nodes]

    def closed() -> list[int]:
        text = process.log.read_text()
        return [len(re.findall(rf"127\.0\.0\.1:{port} - rid:\d+ - Router connection closed", text)) for port in ports]

    await eventually(closed, lambda counts: min(counts) >= 2, what="the intruder's routes closed by every node")


@pytest.mark.heavy  # a three-node cluster: its certificates hold from 1970 to 9999, nothing in it reads the date
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
            # a new cluster's meta leader learns of its peers a moment after it is elected
            await replicated(writer, reader, b"over TLS routes", placing=(BadRequestError,))
        finally:
            await writer.close()
            await reader.close()

        genuine = [{"n2", "n3"}, {"n1", "n3"}, {"n1", "n2"}]
        for tls in (None, route_tls(stranger)):  # no certificate at all, or one of another authority
            process = intruder(cluster, tmp_path / uuid.uuid4().hex[:6], logs, tls)
            try:
                await refused_by_every_node(process, cluster)
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


def client_context(authority: Authority, certificate: tuple[Path, Path] | None) -> ssl.SSLContext:
    """What a process of the platform presents: the authority it trusts, and its own certificate (or none)."""
    context = ssl.create_default_context(cafile=str(authority.ca_file))
    if certificate is not None:
        context.load_cert_chain(*map(str, certificate))
    return context


async def admitted(node: NatsNode, context: ssl.SSLContext) -> Client:
    """A connection to node with context (a node takes clients a moment before its routes are up)."""
    return await eventually(
        lambda: nats.connect(node.url, tls=context, allow_reconnect=False, **harness_options()),
        what=f"a client of the authority on {node.name}",
        ignoring=(OSError, nats.errors.Error),
    )


async def connect_and_flush(url: str, context: ssl.SSLContext) -> None:
    nc = await nats.connect(url, tls=context, allow_reconnect=False, max_reconnect_attempts=0, **harness_options())
    try:
        await nc.flush(timeout=2)
    finally:
        await nc.close()


@pytest.mark.heavy  # a three-node cluster, as above
async def test_every_node_of_a_mutual_tls_cluster_admits_a_client_of_its_authority_and_no_other(
    infra: dict[str, str], tmp_path: Path
) -> None:
    logs = Path(infra["logs"])
    authority, stranger = Authority(tmp_path, "cluster"), Authority(tmp_path, "stranger")
    clients = route_tls(authority) | {"verify": True}
    with running_cluster(tmp_path / "nats", logs, route_tls=route_tls(authority), client_tls=clients) as cluster:
        mine = client_context(authority, authority.client_certificate("voting"))
        connected = [await admitted(node, mine) for node in cluster.nodes]
        try:
            first, last = connected[0], connected[-1]
            # wait_jetstream connects without a certificate: the cluster elects its meta leader here
            placing = (BadRequestError, ServiceUnavailableError, nats.errors.TimeoutError)
            await replicated(first, last, b"over mutual TLS", placing=placing)
        finally:
            for client in connected:
                await client.close()

        for node in cluster.nodes:
            for certificate in (None, stranger.client_certificate("voting")):  # none at all, or another CA's
                refused = client_context(authority, certificate)
                # TLS 1.3 checks the client's certificate after the handshake: the server then closes the connection,
                # which the client sees as a reset or a broken pipe, depending on whether it was reading or writing
                with pytest.raises((ssl.SSLError, ConnectionError, nats.errors.Error)):
                    await connect_and_flush(node.url, refused)
