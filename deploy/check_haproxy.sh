#!/usr/bin/env bash
# `haproxy -c` of deploy/haproxy/haproxy.cfg offline: a throw-away self-signed certificate stands in for the
# operator's (the configuration refuses to load without one).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=check -days 1 -keyout "$tmp/key" -out "$tmp/cert" 2>/dev/null
cat "$tmp/cert" "$tmp/key" > "$tmp/veche.pem"
sed "s#/usr/local/etc/haproxy/certs/veche.pem#$tmp/veche.pem#" "$(dirname "$0")/haproxy/haproxy.cfg" > "$tmp/haproxy.cfg"
haproxy -c -f "$tmp/haproxy.cfg"
