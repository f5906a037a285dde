#!/usr/bin/env bash
# Does the timeline's cost depend on the data's size? Seeds two databases in
# one throwaway PostgreSQL, alike but for the number of posts (10,000 users,
# 100 follows each; 100,000 posts and 200,000 likes against 1,000,000 and
# 2,000,000), serves each, and measures GET /user/timeline/?limit=50 on them
# in turns (wrk -c 32, ROUNDS rounds of DURATION seconds), so that the VM's
# drifting speed falls on both alike. Prints each run and the 1M/100k ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source postgres/throwaway.sh
source bench/lib.sh
rounds=${ROUNDS:-3} duration=${DURATION:-8}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

start_postgres >/dev/null
bench_begin scale
export HOME=$work
createdb small
declare -A uri=([100k]=${PG_URL/\/pamps\?/\/small?} [1M]=$PG_URL) posts=([100k]=100000 [1M]=1000000) port=()
for size in 100k 1M; do
	PAMPS_DB__URI=${uri[$size]} "$work/pamps" -q seed --users 10000 --posts "${posts[$size]}" --follows 100 \
		--likes $((2 * ${posts[$size]})) --password bench-password
done
# The same seed gives both databases the same users: one set of tokens.
PAMPS_DB__URI=$PG_URL "$work/pamps" -q user list --limit 200 | cut -f2 |
	while read -r u; do PAMPS_DB__URI=$PG_URL "$work/pamps" token "$u"; done >"$work/tokens"
for size in 100k 1M; do
	port[$size]=$(free_port) || { echo "no free port" >&2; exit 1; }
	PAMPS_DB__URI=${uri[$size]} serve "$work/serve-$size.log" "${port[$size]}"
done
export TOKENS=$work/tokens WRK_DIR=$root/bench/wrk
echo "GET /user/timeline/?limit=50, wrk -c 32 -t 2 -d ${duration}s, in turns"
for i in $(seq "$rounds"); do
	for size in 100k 1M; do
		out=$(wrk -c 32 -t 2 -d "${duration}s" --timeout 15s -s "$root/bench/wrk/timeline.lua" "http://127.0.0.1:${port[$size]}/" | grep '^RESULT')
		printf '%-5s %s\n' "$size" "${out#RESULT }" | tee -a "$work/runs"
	done
done
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] += kv[2] } n[$1]++ }
	END { for (k in n) if (n[k] != n["1M"]) exit 1
		printf "1M against 100k, means of %d runs: p50 %.2fx, p99 %.2fx, req/s %.2fx\n", n["1M"],
			v["1M", "p50_ms"] / v["100k", "p50_ms"], v["1M", "p99_ms"] / v["100k", "p99_ms"], v["1M", "rps"] / v["100k", "rps"] }' "$work/runs"
