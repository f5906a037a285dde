#!/usr/bin/env bash
# Soak: mixed traffic (70% reads, 20% posts, 5% likes/follows, 5% logins) at
# 32 connections against pamps serve on PostgreSQL, for a bounded time.
#   bench/soak.sh [--duration 60s]      (test.sh runs --duration 10s)
# Uses PAMPS_SOAK_DATABASE_URL when set, else starts a throwaway PostgreSQL;
# SOAK_BCRYPT_COST sets the cost of its passwords (default 10).
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
source bench/lib.sh
uri=${PAMPS_SOAK_DATABASE_URL:-}
if [ -z "$uri" ]; then
	start_postgres >/dev/null
	uri=$PG_URL
fi
bench_begin soak
go build -o "$work/soak" ./bench/soak
export PAMPS_DB__URI=$uri PAMPS_SECURITY__BCRYPT_COST=${SOAK_BCRYPT_COST:-10}
"$work/pamps" -q db reset --force >/dev/null
"$work/pamps" -q seed --users 500 --posts 20000 --follows 20 --likes 20000 --password soak-password
"$work/pamps" -q user list --limit 500 | cut -f2 >"$work/users"
port=$(free_port) || { echo "soak: no free port" >&2; exit 1; }
HOME=$work serve "$work/serve.log" "$port" -q
"$work/soak" -url "http://127.0.0.1:$port" -duration "$duration" -conns 32 -users "$work/users" -password soak-password -pid "$spid"
