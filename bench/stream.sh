#!/usr/bin/env bash
# Live streams under load (issue "Live"): SUBS concurrent /stream/public/
# subscribers on one pamps serve over PostgreSQL, the statements the
# database runs while they idle, the time from each POST /post/'s 201 to
# the event at every subscriber, and serve's peak RSS; then two replicas on
# one database: posts through one at 100/s, subscribers on the other.
# Rate, connection and stream limits are off.
#   bench/stream.sh            (SUBS=5000 POSTS=100 RATE=20 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
source postgres/throwaway.sh
source bench/lib.sh
subs=${SUBS:-5000} posts=${POSTS:-100} rate=${RATE:-20}

start_postgres >/dev/null
bench_begin stream
go build -o "$work/streamload" ./bench/streamload
export HOME=$work PAMPS_DB__URI=$PG_URL PAMPS_SERVER__MAX_STREAMS=0 PAMPS_SERVER__MAX_STREAMS_PER_USER=0
echo "stream limits: off (server.max_streams, server.max_streams_per_user)" >&2
"$work/pamps" -q db migrate
echo 'bench-password' | "$work/pamps" -q adduser --username ann --email ann@example.com --password-stdin
token=$("$work/pamps" token ann)

read -r pa pb pc <<<"$(free_ports 3 | tr '\n' ' ')"
serve "$work/a.log" "$pa"
a=$spid
echo "== one server: $subs subscribers, $posts posts at $rate/s"
"$work/streamload" -url "http://127.0.0.1:$pa" -subs "$subs" -posts "$posts" -rate "$rate" -token "$token" -pg "$PG_URL"
echo "peak RSS of pamps serve: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' "/proc/$a/status")"

# The second target on two fresh replicas, B and C: A's 5,000 departing
# clients are the first target's business.
serve "$work/b.log" "$pb"
serve "$work/c.log" "$pc"
echo "== two replicas: 200 subscribers on B, 1000 posts at 100/s through C"
"$work/streamload" -url "http://127.0.0.1:$pb" -post-url "http://127.0.0.1:$pc" -subs 200 -posts 1000 -rate 100 -token "$token"
