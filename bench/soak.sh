#!/usr/bin/env bash
# Soak: mixed traffic (70% reads, 20% posts, 5% likes/follows, 5% logins) at
# 32 connections against pamps serve on PostgreSQL, for a bounded time.
#   bench/soak.sh [--duration 60s]      (test.sh runs --duration 10s)
# Uses PAMPS_SOAK_DATABASE_URL when set, else starts a throwaway PostgreSQL.
# Fails unless there were no 5xx and every post answered 201 is stored.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=60s
while [ $# -gt 0 ]; do
	case $1 in
	--duration) duration=$2; shift 2 ;;
	*) echo "usage: bench/soak.sh [--duration 60s]" >&2; exit 2 ;;
	esac
done
source postgres/throwaway.sh
work=$(mktemp -d /tmp/pamps-soak.XXXXXX)
spid=
mkdir -p "$work"
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null; stop_postgres; rm -rf "$work"; }
uri=${PAMPS_SOAK_DATABASE_URL:-}
if [ -z "$uri" ]; then
	start_postgres >/dev/null
	uri=$PG_URL
fi
trap cleanup EXIT # after start_postgres, which sets a trap of its own
CGO_ENABLED=0 go build -o "$work/pamps" ./cmd/pamps
go build -o "$work/soak" ./bench/soak
export PAMPS_DB__URI=$uri PAMPS_SECURITY__BCRYPT_COST=${PAMPS_SECURITY__BCRYPT_COST:-10}
"$work/pamps" -q db reset --force >/dev/null
"$work/pamps" -q seed --users 500 --posts 20000 --follows 20 --likes 20000 --password soak-password
"$work/pamps" -q user list --limit 500 | cut -f2 >"$work/users"
port=$(free_port) || { echo "soak: no free port" >&2; exit 1; }
HOME=$work "$work/pamps" -q serve --port "$port" 2>"$work/serve.log" &
spid=$!
for _ in $(seq 500); do
	kill -0 "$spid" 2>/dev/null || break # exited: another listener must not answer in its place
	curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
	sleep 0.01
done
kill -0 "$spid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "soak: pamps serve exited" >&2; exit 1; }
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/serve.log" >&2; echo "soak: pamps serve did not start" >&2; exit 1; }
"$work/soak" -url "http://127.0.0.1:$port" -duration "$duration" -conns 32 -users "$work/users" -password soak-password -pid "$spid"
