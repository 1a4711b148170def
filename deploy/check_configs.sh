#!/usr/bin/env bash
# Offline checks of the configuration files deploy/compose.yaml mounts, each by its own program:
# haproxy -c (a throw-away self-signed certificate stands in for the operator's), nats-server -t, promtool.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=check -days 1 -keyout "$tmp/key" -out "$tmp/cert" 2>/dev/null
cat "$tmp/cert" "$tmp/key" > "$tmp/veche.pem"
sed "s#/usr/local/etc/haproxy/certs/veche.pem#$tmp/veche.pem#" "$here/haproxy/haproxy.cfg" > "$tmp/haproxy.cfg"
haproxy -c -q -f "$tmp/haproxy.cfg"

# auth.conf reads each role's password from the server's environment: stand-ins, as compose.env.example does
for role in GATEWAY SUBMISSIONS VOTING RESULTS OPERATOR PROVISION; do export "VECHE_NATS_PASSWORD_$role=check-only"; done
NATS_SERVER_NAME=nats-1 "${NATS_SERVER:-nats-server}" -t -c "$here/nats/cluster.conf"

# Prometheus finds alerts.yml beside its configuration, as in the container
cp "$here/compose/prometheus.yml" "$here/observability/alerts.yml" "$tmp/"
promtool check config "$tmp/prometheus.yml"
