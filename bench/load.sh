#!/usr/bin/env bash
# Load test of `pamps serve` on PostgreSQL, next to its ceilings, in one run.
#   bench/load.sh           standard dataset: 10,000 users, 1,000,000 posts,
#                           100 follows per user, 2,000,000 likes; 10 s per scenario
#   bench/load.sh --quick   1,000 users, 100,000 posts: about a minute
# It starts a throwaway PostgreSQL, seeds, starts pamps serve, and measures with
# wrk on loopback (32 connections, 2 threads): requests/s, p50, p99, errors,
# the server's peak RSS, and each endpoint's ratio to `pgbench -S` on the same
# cluster. Besides pgbench -S and a bare net/http handler, it measures the least
# a Go endpoint can do with the database (`bare lookup`: one row, or a page of
# 51, from pgbench's table, no middleware; `bare detail`: the store's own
# GET /post/{id}/ call), which bounds what the endpoints of each shape can reach. Set DURATION (seconds) to change the time per scenario.
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
port=$(free_port) && bareport=$(free_port) && lookport=$(free_port) && detport=$(free_port) || { echo "no free port" >&2; exit 1; }
while [ "$bareport" = "$port" ]; do bareport=$(free_port); done
while [ "$lookport" = "$port" ] || [ "$lookport" = "$bareport" ]; do lookport=$(free_port); done
while [ "$detport" = "$port" ] || [ "$detport" = "$bareport" ] || [ "$detport" = "$lookport" ]; do detport=$(free_port); done
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
serve "$work/serve.log" "$port"
echo "pamps serve answered /healthz $(( ($(date +%s%N) - t0) / 1000000 )) ms after exec"

rss() { awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$spid/status"; }

# run NAME LUA PATH: prints one line; the RESULT line comes from bench/wrk/report.lua.
declare -A rps
run() {
	local name=$1 script=$2 path=${3:-/}
	local out; out=$(wrk -c $conns -t $threads -d "${duration}s" --timeout 15s -s "$root/bench/wrk/$script" "http://127.0.0.1:$port$path" | grep '^RESULT')
	rps[$name]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
	printf '%-28s %s\n' "$name" "${out#RESULT }"
}

echo
echo "== ceilings"
"$pgbench" -i -q -s 10 pgbench_db >/dev/null 2>&1 || { createdb pgbench_db && "$pgbench" -i -q -s 10 pgbench_db >/dev/null 2>&1; }
pgb=$("$pgbench" -S -n -c $conns -j $threads -T "$duration" -M simple pgbench_db 2>/dev/null | awk '/^tps/{print $3; exit}')
printf '%-28s tps=%s\n' "pgbench -S" "$pgb"
"$work/bare" serve "127.0.0.1:$bareport" & pids+=("$!")
sleep 0.3
out=$(wrk -c $conns -t $threads -d "${duration}s" -s "$root/bench/wrk/plain.lua" "http://127.0.0.1:$bareport/" | grep '^RESULT')
printf '%-28s %s\n' "bare net/http" "${out#RESULT }"
"$work/bare" lookup "127.0.0.1:$lookport" "postgres://$PGUSER@$PGHOST:$PGPORT/pgbench_db?sslmode=disable" & pids+=("$!")
until curl -sf "http://127.0.0.1:$lookport/row" >/dev/null; do kill -0 "${pids[-1]}" || exit 1; sleep 0.05; done
for shape in "1 row:row" "51 rows:page"; do
	out=$(wrk -c $conns -t $threads -d "${duration}s" -s "$root/bench/wrk/plain.lua" "http://127.0.0.1:$lookport/${shape#*:}" | grep '^RESULT')
	rps["lookup ${shape#*:}"]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
	printf '%-28s %s\n' "least Go endpoint, ${shape%:*}" "${out#RESULT }"
done
kill "${pids[-1]}"
# The same, around the store's own GET /post/{id}/ statement on the seeded data.
"$work/bare" detail "127.0.0.1:$detport" "$PG_URL" "$posts" & pids+=("$!")
until curl -sf "http://127.0.0.1:$detport/detail" >/dev/null; do kill -0 "${pids[-1]}" || exit 1; sleep 0.05; done
out=$(wrk -c $conns -t $threads -d "${duration}s" -s "$root/bench/wrk/plain.lua" "http://127.0.0.1:$detport/detail" | grep '^RESULT')
rps["lookup detail"]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
printf '%-28s %s\n' "least Go GET /post/{id}/" "${out#RESULT }"
kill "${pids[-1]}"
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
awk -v a="${rps[lookup row]}" -v b="$pgb" 'BEGIN{printf "%-28s %5.1f%%   (one primary-key lookup, no middleware)\n", "least Go endpoint, 1 row", 100*a/b}'
awk -v a="${rps[lookup page]}" -v b="$pgb" 'BEGIN{printf "%-28s %5.1f%%   (a 51-row page, no authors, counts or middleware)\n", "least Go endpoint, 51 rows", 100*a/b}'
awk -v a="${rps[lookup detail]}" -v b="$pgb" 'BEGIN{printf "%-28s %5.1f%%   (store.PostDetail, no middleware: the bound for GET /post/{id}/)\n", "least Go GET /post/{id}/", 100*a/b}'
for k in "GET /post/{id}/" "GET /post/user/{u}/?limit=50" "GET /user/timeline/?limit=50" "GET /post/" "POST /post/"; do
	awk -v a="${rps[$k]}" -v b="$pgb" -v k="$k" 'BEGIN{printf "%-28s %5.1f%%\n", k, 100*a/b}'
done
awk -v a="${rps[POST /token]}" -v b="$ceiling" 'BEGIN{printf "%-28s %5.1f%% of the bcrypt ceiling\n", "POST /token", 100*a/b}'
errs=$(grep -c '"status":5' "$work/serve.log" || true)
echo "5xx answers logged by the server: $errs"
grep '"status":5' "$work/serve.log" | sed -E 's/.*"path":"([^"]*)","status":([0-9]+).*/  \2 \1/' | sort | uniq -c || true
grep -E '"level":"(WARN|ERROR)"' "$work/serve.log" | head -3 || true
