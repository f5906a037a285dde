#!/usr/bin/env bash
# Load test of `pamps serve` on PostgreSQL, next to its ceilings, in one run.
#   bench/load.sh           standard dataset: 10,000 users, 1,000,000 posts,
#                           100 follows per user, 2,000,000 likes; 10 s per scenario
#   bench/load.sh --quick   1,000 users, 100,000 posts: about a minute
# It starts a throwaway PostgreSQL, seeds, starts pamps serve, and measures with
# wrk on loopback (32 connections, 2 threads): requests/s, p50, p99, errors,
# the server's peak RSS, what the server itself measured (its Prometheus
# metrics: requests, mean and p99 time, waits for a connection), and each
# endpoint's ratio to `pgbench -S` on the same
# cluster. Besides pgbench -S and a bare net/http handler, it measures the least
# a Go endpoint can do with the database (`bare lookup`: one row, or a page of
# 51, from pgbench's table, no middleware; `bare detail`: the store's own
# GET /post/{id}/ call), which bounds what the endpoints of each shape can
# reach. Set DURATION (seconds) to change the time per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source postgres/throwaway.sh
source bench/lib.sh

users=10000 posts=1000000 follows=100 likes=2000000 duration=${DURATION:-10}
if [ "${1:-}" = --quick ]; then users=1000 posts=100000 follows=50 likes=200000 duration=${DURATION:-5}; fi
conns=32 threads=2 password=bench-password

for tool in wrk pgbench curl; do
	if ! command -v $tool >/dev/null && ! [ -x "${PG_BINDIR:-/nonexistent}/$tool" ]; then
		if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk postgresql-contrib curl >/dev/null 2>&1 || true; fi
	fi
done
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

start_postgres >/dev/null
bench_begin load
# Free ports, so that nothing else already listening answers in our place.
ports=$(free_ports 5) || { echo "no free port" >&2; exit 1; }
read -r port bareport lookport detport metricsport <<<"$(echo $ports)"
CGO_ENABLED=0 go build -o "$work/bare" ./bench/bare
export HOME=$work PAMPS_DB__URI=$PG_URL WRK_DIR=$root/bench/wrk
pgbench=$(command -v pgbench || echo "$PG_BINDIR/pgbench")

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "dataset: $users users, $posts posts, $follows follows/user, $likes likes; wrk -c $conns -t $threads -d ${duration}s"
t0=$(date +%s%N)
"$work/pamps" -q seed --users "$users" --posts "$posts" --follows "$follows" --likes "$likes" --password "$password"
echo "seed: $(( ($(date +%s%N) - t0) / 1000000 )) ms"

"$work/pamps" -q user list --limit 1000 | cut -f2 >"$work/users"
head -200 "$work/users" | while read -r u; do "$work/pamps" token "$u"; done >"$work/tokens"
export USERS=$work/users TOKENS=$work/tokens PASSWORD=$password MAX_POST=$posts

t0=$(date +%s%N)
# Its own figures come from its metrics (server.metrics_addr).
PAMPS_SERVER__METRICS_ADDR=127.0.0.1:$metricsport serve "$work/serve.log" "$port"
echo "pamps serve answered /healthz $(( ($(date +%s%N) - t0) / 1000000 )) ms after exec"

rss() { awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$spid/status"; }

# measure NAME LUA URL: prints one line and keeps its requests/s in
# rps[NAME]; the RESULT line comes from bench/wrk/report.lua.
declare -A rps
measure() {
	local out
	out=$(wrk -c $conns -t $threads -d "${duration}s" --timeout 15s -s "$root/bench/wrk/$2" "$3" | grep '^RESULT')
	rps[$1]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
	printf '%-28s %s\n' "$1" "${out#RESULT }"
}

# run NAME LUA [PATH]: measure on pamps serve, then what the server saw
# (its metrics, before and after).
run() {
	scrape_metrics "127.0.0.1:$metricsport" "$work/metrics.0"
	measure "$1" "$2" "http://127.0.0.1:$port${3:-/}"
	scrape_metrics "127.0.0.1:$metricsport" "$work/metrics.1"
	printf '%-28s %s\n' "" "$(metrics_delta "$work/metrics.0" "$work/metrics.1")"
}

echo
echo "== ceilings"
"$pgbench" -i -q -s 10 pgbench_db >/dev/null 2>&1 || { createdb pgbench_db && "$pgbench" -i -q -s 10 pgbench_db >/dev/null 2>&1; }
pgb=$("$pgbench" -S -n -c $conns -j $threads -T "$duration" -M simple pgbench_db 2>/dev/null | awk '/^tps/{print $3; exit}')
printf '%-28s tps=%s\n' "pgbench -S" "$pgb"
background "http://127.0.0.1:$bareport/" "$work/bare.log" "$work/bare" serve "127.0.0.1:$bareport"
measure "bare net/http" plain.lua "http://127.0.0.1:$bareport/"
# The least a Go endpoint can do with the database: pgbench's own rows, then
# the store's own GET /post/{id}/ call on the seeded posts.
background "http://127.0.0.1:$lookport/row" "$work/lookup.log" "$work/bare" lookup "127.0.0.1:$lookport" "postgres://$PGUSER@$PGHOST:$PGPORT/pgbench_db?sslmode=disable"
measure "least Go endpoint, 1 row" plain.lua "http://127.0.0.1:$lookport/row"
measure "least Go endpoint, 51 rows" plain.lua "http://127.0.0.1:$lookport/page"
kill "$bgpid"
background "http://127.0.0.1:$detport/detail" "$work/detail.log" "$work/bare" detail "127.0.0.1:$detport" "$PG_URL" "$posts"
measure "least Go GET /post/{id}/" plain.lua "http://127.0.0.1:$detport/detail"
kill "$bgpid"
cost=$("$work/pamps" config show | awk -F'\t' '$1=="security.bcrypt_cost"{print $2}')
hash=$("$work/bare" bcrypt "$cost")
ceiling=$(awk -v n="$(nproc)" -v h="$hash" 'BEGIN{printf "%.1f", n/h}')
printf '%-28s %s/s (%s cores / %.1f ms per hash at cost %s)\n' "bcrypt ceiling" "$ceiling" "$(nproc)" "$(awk -v h="$hash" 'BEGIN{print h*1000}')" "$cost"

echo
echo "== pamps serve (PostgreSQL, $posts posts)"
run "GET /post/{id}/" get_post.lua
run "GET /post/user/{u}/?limit=50" user_posts.lua
run "GET /user/timeline/?limit=50" timeline.lua
run "GET /post/" plain.lua /post/
run "POST /post/" create_post.lua
# Logins flood the bcrypt pool while reads go on at a steady 200/s: their
# p99 must stay low. (Reads as fast as they can go would take the CPU the
# ceiling counts on: a saturating flood measures the sum, not the logins.)
wrk -c 8 -t 1 -d "${duration}s" --timeout 5s -s "$root/bench/wrk/get_post_paced.lua" "http://127.0.0.1:$port" | grep '^RESULT' >"$work/reads" &
run "POST /token" token.lua
wait $! 2>/dev/null || true
printf '%-28s %s\n' "  reads (200/s) meanwhile" "$(sed 's/^RESULT //' "$work/reads")"
echo
echo "peak RSS of pamps serve: $(rss) MB"
echo
echo "== ratios to pgbench -S ($pgb tps)"
ratio() { awk -v a="${rps[$1]}" -v b="$pgb" -v k="$1" -v why="${2:-}" 'BEGIN{printf "%-28s %5.1f%%%s\n", k, 100*a/b, why}'; }
ratio "least Go endpoint, 1 row" "   (one primary-key lookup, no middleware)"
ratio "least Go endpoint, 51 rows" "   (a 51-row page, no authors, counts or middleware)"
ratio "least Go GET /post/{id}/" "   (store.PostDetail, no middleware: the bound for GET /post/{id}/)"
for k in "GET /post/{id}/" "GET /post/user/{u}/?limit=50" "GET /user/timeline/?limit=50" "GET /post/" "POST /post/"; do
	ratio "$k"
done
awk -v a="${rps[POST /token]}" -v b="$ceiling" 'BEGIN{printf "%-28s %5.1f%% of the bcrypt ceiling\n", "POST /token", 100*a/b}'
errs=$(grep -c '"status":5' "$work/serve.log" || true)
echo "5xx answers logged by the server: $errs"
grep '"status":5' "$work/serve.log" | sed -E 's/.*"path":"([^"]*)","status":([0-9]+).*/  \2 \1/' | sort | uniq -c || true
grep -E '"level":"(WARN|ERROR)"' "$work/serve.log" | head -3 || true
